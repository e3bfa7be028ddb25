"""Indonesia's administrative regions (Kemendagri codes), as shipped in ``nlu/data/wilayah``.

Provinces ("32"), regencies/cities ("32.73") and districts ("32.73.01").
Loaded once per process and shared read-only by the NLU's place extractor and
the routing catalog's validation.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nlu.types import Region

DATA_DIR = Path(__file__).resolve().parent / "data" / "wilayah"


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Regency:
    code: str
    province_code: str
    name: str  # "Kota Bandung", "Kabupaten Bandung"
    kind: str  # "kota" | "kabupaten"
    province_name: str


@dataclass(frozen=True, slots=True)
class District:
    code: str
    regency_code: str
    name: str


@dataclass(frozen=True)
class Wilayah:
    """All regions, indexed by code."""

    provinces: dict[str, Province]
    regencies: dict[str, Regency]
    districts: dict[str, District]

    def level(self, code: str) -> str | None:
        """"province", "regency", "district", or None for an unknown code."""
        if code in self.provinces:
            return "province"
        if code in self.regencies:
            return "regency"
        if code in self.districts:
            return "district"
        return None

    def region(self, code: str) -> Region:
        """The :class:`Region` for a code; KeyError if unknown."""
        if code in self.provinces:
            p = self.provinces[code]
            return Region(code=code, name=f"Provinsi {p.name}", level="province",
                          province_code=p.code, province_name=p.name)
        if code in self.regencies:
            r = self.regencies[code]
            return Region(code=code, name=r.name, level="regency", province_code=r.province_code,
                          province_name=r.province_name, regency_code=r.code, regency_name=r.name)
        d = self.districts[code]
        r = self.regencies[d.regency_code]
        return Region(code=code, name=d.name, level="district", province_code=r.province_code,
                      province_name=r.province_name, regency_code=r.code, regency_name=r.name,
                      district_name=d.name)

    def ancestors(self, code: str) -> list[str]:
        """The code and its parents, most specific first: district, regency, province."""
        parts = code.split(".")
        return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]

    def name(self, code: str) -> str:
        """A display name for any code ("Kota Batu", "Provinsi Jawa Timur", "Kec. Batu")."""
        if code in self.districts:
            d = self.districts[code]
            return f"Kecamatan {d.name}, {self.regencies[d.regency_code].name}"
        return self.region(code).name


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def load_wilayah() -> Wilayah:
    """Load the shipped region tables (cached; about 8k rows)."""
    provinces = {r["kode"]: Province(r["kode"], r["nama"]) for r in _rows("provinces.csv")}
    regencies = {
        r["kode"]: Regency(r["kode"], r["kode_provinsi"], r["nama"], r["jenis"], r["provinsi"])
        for r in _rows("regencies.csv")
    }
    districts = {
        r["kode"]: District(r["kode"], r["kode_kabkota"], r["nama"]) for r in _rows("districts.csv")
    }
    return Wilayah(provinces, regencies, districts)
