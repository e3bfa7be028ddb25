// The console's ticket map: the inbox's filtered tickets as clustered markers on the
// configured tile layer. Built on the map library shipped in ./third_party (no CDN).
(function () {
  "use strict";

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) { el.className = cls; }
    return el;
  }

  function popup(p, box) {
    var root = document.createElement("div");
    root.className = "map-popup";
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.number;
    root.appendChild(link);
    root.appendChild(text("div", p.status_label + " · " + p.category));
    root.appendChild(text("div", p.unit));
    if (p.approximate) { root.appendChild(text("div", box.dataset.approxLabel, "approx")); }
    return root;
  }

  function start() {
    var box = document.getElementById("ticket-map");
    if (!box || !window.L) { return; }
    var center = JSON.parse(box.dataset.center || "[0, 0]");
    var map = window.L.map(box).setView(center, parseInt(box.dataset.zoom || "12", 10));
    // The attribution is configured by the operator; it is set as text, never as markup.
    var layer = window.L.tileLayer(box.dataset.tileUrl, {maxZoom: 19, attribution: ""});
    layer.addTo(map);
    map.attributionControl.addAttribution(
      box.dataset.attribution.replace("&copy;", "\u00a9").replace(/[<>]/g, ""));
    var cluster = window.L.markerClusterGroup();
    fetch(box.dataset.pointsUrl, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var bounds = [];
        data.points.forEach(function (p) {
          var marker = window.L.marker([p.lat, p.lon], {
            title: p.number, opacity: p.approximate ? 0.6 : 1.0});
          marker.bindPopup(popup(p, box));
          marker.options.pintuNumber = p.number;
          cluster.addLayer(marker);
          bounds.push([p.lat, p.lon]);
        });
        map.addLayer(cluster);
        if (bounds.length > 1) { map.fitBounds(bounds, {padding: [30, 30], maxZoom: 16}); }
        else if (bounds.length === 1) { map.setView(bounds[0], 15); }
        var note = document.getElementById("map-unplaced");
        if (data.unplaced > 0 && note) {
          note.textContent = note.dataset.text.replace("{count}", String(data.unplaced))
            .replace("{total}", String(data.unplaced + data.points.length));
          note.hidden = false;
        }
        var more = document.getElementById("map-more");
        if (data.more && more) {
          more.textContent = more.dataset.text.replace("{limit}", String(data.limit));
          more.hidden = false;
        }
        box.dataset.points = String(data.points.length);
        box.dataset.ready = "1";
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
}());
