// NLU training pages: follow a training job's progress, reload when it is done.
// The pages work without it (reload to see the progress).
(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-nlu-progress]");
  if (!boxes.length || !window.fetch) { return; }
  Array.prototype.forEach.call(boxes, function (box) {
    var url = box.getAttribute("data-nlu-progress");
    var bar = box.querySelector("progress");
    var stage = box.querySelector(".stage");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (p) {
          if (!p) { window.setTimeout(poll, 3000); return; }
          if (bar) { bar.value = p.percent; bar.textContent = p.percent + "%"; }
          if (stage) {
            // The stage in the page's language, never the raw key ("measuring").
            var labels = JSON.parse(stage.getAttribute("data-labels") || "{}");
            stage.textContent = labels[p.stage] || p.stage;
          }
          if (p.status !== "training") { window.location.reload(); return; }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 1000);
  });
})();
