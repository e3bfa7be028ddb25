"""The words of the admin console's services pages (catalog services, owners, examples)."""

from __future__ import annotations

from bot.core.i18n.lang import Messages

_WORDS: dict[str, dict[str, str]] = {
    "id": {
        "title": "Layanan",
        "intro": "Layanan di bawah kategori (kodefikasi layanan) dan unit yang menanganinya per "
                 "wilayah. Wilayah yang tidak tercantum memakai pemilik kategori.",
        "search": "Cari",
        "search_placeholder": "Kode, nama, kata kunci, unit",
        "code": "Kode",
        "name": "Layanan",
        "category": "Kategori",
        "owners": "Unit per wilayah",
        "tickets": "Tiket",
        "forwarded": "Diteruskan ke unit lain",
        "forwarded_hint": "Banyak tiket diteruskan ke unit lain: mungkin pemiliknya keliru.",
        "forwarded_to": "Diteruskan ke",
        "none": "Tidak ada layanan yang cocok.",
        "oversight": "pengawasan",
        "oversight_hint": "Pengaduan tentang aparatur: ke Inspektorat, tidak ke unit yang "
                          "diadukan; pelapor ditawari kerahasiaan.",
        "edit": "Ubah",
        "examples": "Contoh kalimat (satu per baris)",
        "examples_hint": "Dipakai NLU untuk mengenali layanan ini; berlaku segera.",
        "keywords": "Kata kunci",
        "region": "Kode wilayah",
        "unit": "Unit",
        "remove": "hapus",
        "add_owner": "Tambah wilayah",
        "save": "Simpan",
        "saved": "Tersimpan; katalog dimuat ulang.",
        "invalid": "Tidak disimpan; perbaiki dulu:",
        "back": "Kembali ke daftar layanan",
        "standard": "Standar pelayanan",
        "no_owner": "(belum ada; pemilik kategori)",
        "admins_only": "Hanya admin yang dapat mengelola layanan.",
        "not_found": "Layanan tidak ditemukan.",
        "kept_in": "Perubahan disimpan di",
    },
    "en": {
        "title": "Services",
        "intro": "Services below the categories (service codes) and the unit delivering each "
                 "per region. Regions not listed use the category's owner.",
        "search": "Search",
        "search_placeholder": "Code, name, keyword, unit",
        "code": "Code",
        "name": "Service",
        "category": "Category",
        "owners": "Unit per region",
        "tickets": "Tickets",
        "forwarded": "Forwarded away",
        "forwarded_hint": "Many tickets forwarded elsewhere: the owner may be wrong.",
        "forwarded_to": "Forwarded to",
        "none": "No service matches.",
        "oversight": "oversight",
        "oversight_hint": "Complaints about the apparatus: to the Inspectorate, never to the "
                          "unit complained about; the reporter is offered confidentiality.",
        "edit": "Edit",
        "examples": "Example sentences (one per line)",
        "examples_hint": "The NLU learns this service from them; effective at once.",
        "keywords": "Keywords",
        "region": "Region code",
        "unit": "Unit",
        "remove": "remove",
        "add_owner": "Add a region",
        "save": "Save",
        "saved": "Saved; the catalog was reloaded.",
        "invalid": "Not saved; fix these first:",
        "back": "Back to the services",
        "standard": "Service standard",
        "no_owner": "(none yet; category owner)",
        "admins_only": "Only admins can manage services.",
        "not_found": "No such service.",
        "kept_in": "Edits are kept in",
    },
}

#: The services pages' words.
SERVICES_ADMIN = Messages.per_language("services_admin", _WORDS)
