"""The kommune reference and the one name matcher, shared by the build and every importer.

Units that can carry a figure: the 356 kommuner of the 2020 structure (SSB) and the former
kommuner that publications still list, marked «(utgått)» (raw/kommune_successors_2020.csv, and
raw/kommune_changes_2020.csv where present). Each unit has a name, a fylke (the 2020 fylke for a
2020 kommune, the fylke of its own time for a former one) and its 2020 successor(s): the bridge
every query joins instead of splitting «1806; 1875» itself.

Matching a published name («Hamarøy - Hábmer kommune (utgått)», «Herøy kommune (Nordland)»,
«BÆRUM KOMMUNE») to a code uses the name, an optional code and optional fylke hints, and says
in Norwegian and English why a name does not match, so an importer can show it to a user.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from data.regions import FYLKE_2020, FYLKE_BEFORE_2020

RAW_DIR = Path(__file__).resolve().parent / "raw"
REFERENCE_COLUMNS = [
    "kommune_code",
    "kommune_name",
    "fylke_name",
    "is_former",
    "successor_codes",
    "valid_until",  # last day of a former kommune (ISO date); empty for a 2020 kommune
]

# Any fylke name (before or from 2020, some Sami forms) → the 2020 fylke, case-folded.
_FYLKE_TO_2020 = {
    **{v.casefold(): v.casefold() for v in FYLKE_2020.values()},
    **dict.fromkeys(["østfold", "akershus", "buskerud"], "viken"),
    **dict.fromkeys(["hedmark", "oppland"], "innlandet"),
    **dict.fromkeys(["vestfold", "telemark"], "vestfold og telemark"),
    **dict.fromkeys(["aust-agder", "vest-agder"], "agder"),
    **dict.fromkeys(["hordaland", "sogn og fjordane"], "vestland"),
    **dict.fromkeys(["sør-trøndelag", "nord-trøndelag", "trööndelage"], "trøndelag"),
    **dict.fromkeys(
        ["troms", "finnmark", "romsa ja finnmárku", "tromssa ja finmarkku", "romsa", "finnmárku"],
        "troms og finnmark",
    ),
    "nordlánnda": "nordland",
}

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_UTGATT = re.compile(r"\(\s*utg[åa]tt\s*\)", re.IGNORECASE)
_PAREN = re.compile(r"\(([^)]*)\)")
_SPACED_DASH = re.compile(r"\s+[-–—]\s+")


def nfc(s) -> str:
    """Unicode NFC with runs of (non-breaking) spaces folded to one space, stripped."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(s))).strip()


@dataclass(frozen=True)
class Name:
    key: str  # «hamarøy - hábmer»
    parts: tuple[str, ...]  # («hamarøy», «hábmer»)
    utgatt: bool
    hints: tuple[str, ...]  # parenthesised words other than «utgått», e.g. «Nordland»


def parse_name(name: str) -> Name:
    s = nfc(name)
    utgatt = bool(_UTGATT.search(s))
    s = _UTGATT.sub(" ", s)
    hints = tuple(h.strip() for h in _PAREN.findall(s) if h.strip())
    s = nfc(_PAREN.sub(" ", s))
    s = re.sub(r"\s+kommune$", "", s, flags=re.IGNORECASE).strip()
    key = s.casefold()
    parts = tuple(p for p in _SPACED_DASH.split(key) if p)
    return Name(key, parts if len(parts) > 1 else (), utgatt, hints)


def fylke_keys(name: str) -> set[str]:
    """Every key a fylke name is known by, its 2020 fylke included: «Sogn og Fjordane» →
    {«sogn og fjordane», «vestland»}."""
    s = nfc(_PAREN.sub(" ", str(name))).casefold()
    s = re.sub(r"\s+(fylke|fylkeskommune)$", "", s).strip()
    parts = {s, *_SPACED_DASH.split(s)} - {""}
    return parts | {_FYLKE_TO_2020[p] for p in parts if p in _FYLKE_TO_2020}


def is_fylke(name: str) -> bool:
    return any(k in _FYLKE_TO_2020 for k in fylke_keys(name))


def parse_code(cell: str) -> str | None:
    """'0301', '301', 'K-0301', '301.0' → '0301'; anything else None."""
    m = re.fullmatch(r"(?:K-)?(\d{1,4})(?:\.0+)?", str(cell).strip(), flags=re.IGNORECASE)
    return m.group(1).zfill(4) if m else None


# ----------------------------------------------------------------------------- reference


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def reference(raw_dir: Path = RAW_DIR) -> pd.DataFrame:
    """Every unit a figure can belong to: the 356 kommuner of 2020 and the known former ones.

    Columns kommune_code, kommune_name (as the app shows it; damaged names corrected openly by
    raw/kommune_name_corrections.csv), fylke_name (2020 fylke, or for a former kommune the fylke
    of its own time, from its code's first two digits), is_former, successor_codes (the 2020
    kommune(s) it became part of, «;»-separated; its own code for a 2020 kommune).
    """
    pop = _read(raw_dir / "ssb_kommune_population_2010_2020.csv")
    fixes = _read(raw_dir / "kommune_name_corrections.csv")
    names = dict(zip(pop.kommune_code_2020, pop.kommune_name_2020.map(nfc), strict=True))
    for r in fixes.itertuples(index=False):
        if names.get(r.kommune_code_2020) == r.name_in_source:
            names[r.kommune_code_2020] = r.name_used
    codes = pop.kommune_code_2020.str.strip().str.zfill(4)
    current = pd.DataFrame(
        {
            "kommune_code": codes,
            "kommune_name": codes.map(names),
            "fylke_name": codes.str[:2].map(FYLKE_2020),
            "is_former": False,
            "successor_codes": codes,
            "valid_until": "",
        }
    )
    former = pd.concat([_former_from_successors(raw_dir), _former_from_changes(raw_dir)])
    former = former[~former.kommune_code.isin(set(current.kommune_code))]
    former = former.groupby("kommune_code", as_index=False, sort=False).agg(
        kommune_name=("kommune_name", "first"),
        fylke_name=("fylke_name", "first"),
        is_former=("is_former", "first"),
        successor_codes=(
            "successor_codes",
            lambda s: ";".join(dict.fromkeys(";".join(s).split(";"))),
        ),
    )
    out = pd.concat([current, former], ignore_index=True)
    out["is_former"] = out["is_former"].astype(bool)
    return out[REFERENCE_COLUMNS]


def _strip_former_name(name: str) -> str:
    return re.sub(r"\s+kommune$", "", nfc(_UTGATT.sub(" ", name)), flags=re.IGNORECASE)


def _former(codes: pd.Series, names: pd.Series, successors: pd.Series, until) -> pd.DataFrame:
    codes = codes.str.strip().str.zfill(4)
    return pd.DataFrame(
        {
            "kommune_code": codes,
            "kommune_name": names.map(_strip_former_name),
            "fylke_name": codes.str[:2].map(FYLKE_BEFORE_2020),
            "is_former": True,
            "successor_codes": successors,
            "valid_until": until,
        }
    )


def _former_from_successors(raw_dir: Path) -> pd.DataFrame:
    succ = _read(raw_dir / "kommune_successors_2020.csv")
    return _former(
        succ.kommune_code_before_2020,
        succ.kommune_name_as_published,
        succ.successor_2020_code.str.replace(" ", ""),
        "2019-12-31",  # the 2020 reform
    )


def _former_from_changes(raw_dir: Path) -> pd.DataFrame:
    """raw/kommune_changes_2020.csv (one row per former kommune and successor), if present."""
    path = raw_dir / "kommune_changes_2020.csv"
    if not path.exists():
        return pd.DataFrame(columns=REFERENCE_COLUMNS)
    ch = _read(path)
    return _former(
        ch.kommune_code_before,
        ch.kommune_name_before,
        ch.successor_2020_code.str.strip().str.zfill(4),
        ch.valid_until,
    )


def bridge(ref: pd.DataFrame) -> pd.DataFrame:
    """unit code → 2020 kommune code, one row per pair: a 2020 kommune maps to itself, a former
    kommune to each kommune it became (part of). `n_successors` > 1 marks a split."""
    rows = ref.assign(successor_code=ref.successor_codes.str.split(";")).explode("successor_code")
    rows["n_successors"] = rows.groupby("kommune_code").successor_code.transform("size")
    return rows[["kommune_code", "successor_code", "is_former", "n_successors"]].reset_index(
        drop=True
    )


# ----------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Kommune:
    code: str
    name: str
    fylke: str
    former: bool
    valid_until: str = ""

    def label(self) -> str:
        return f"{self.code} {self.name}"


Found = tuple[str | None, list[tuple[str | None, str, str]]]


class KommuneIndex:
    """Name and code lookup over a reference frame (columns kommune_code, kommune_name,
    fylke_name, is_former)."""

    def __init__(self, kommuner: pd.DataFrame):
        missing = [c for c in REFERENCE_COLUMNS[:3] if c not in kommuner.columns]
        if missing:
            raise ValueError(f"kommuner frame lacks columns {missing}")
        former = (
            kommuner["is_former"].fillna(False).astype(bool)
            if "is_former" in kommuner.columns
            else pd.Series(False, index=kommuner.index)
        )
        until = kommuner.get("valid_until", pd.Series("", index=kommuner.index)).fillna("")
        self.by_code: dict[str, Kommune] = {}
        self.primary: dict[str, set[str]] = {}
        self.secondary: dict[str, set[str]] = {}
        self._cache: dict[tuple, Found] = {}
        for code, name, fylke, is_former, last in zip(
            kommuner["kommune_code"], kommuner["kommune_name"], kommuner["fylke_name"], former,
            until, strict=True,
        ):  # fmt: skip
            code = str(code).strip().zfill(4)
            if code in self.by_code:
                continue
            self.by_code[code] = Kommune(code, nfc(name), nfc(fylke), bool(is_former), str(last))
            parsed = parse_name(name)
            for key in (parsed.key, *parsed.parts):
                self.primary.setdefault(key, set()).add(code)
            # «Unjárga-Nesseby» should also match «Nesseby»; only used when nothing else does.
            for key in re.split(r"[-–]", parsed.key):
                if key.strip() and key.strip() != parsed.key:
                    self.secondary.setdefault(key.strip(), set()).add(code)

    def candidates(self, name: Name) -> set[str]:
        found = set(self.primary.get(name.key, set()))
        if not found:
            for p in name.parts:
                found |= self.primary.get(p, set())
        if not found:
            for k in (name.key, *name.parts):
                found |= self.secondary.get(k, set())
        return found

    def labels(self, codes: Iterable[str]) -> str:
        return ", ".join(self.by_code[c].label() for c in sorted(codes))

    def match(
        self,
        raw_name: str,
        code_cell: str | None = None,
        fylke_cell: str | None = None,
        cols: dict[str, str | None] | None = None,
    ) -> Found:
        """(kommune code, problems as (column, nb, en)); cached, since files repeat names.

        `cols` names the file's columns for name, code and fylke, so a problem points at the
        column a user must correct."""
        cols = cols or {"name": "Enhetsnavn"}
        key = (raw_name, code_cell, fylke_cell, tuple(sorted(cols.items())))
        if key not in self._cache:
            self._cache[key] = self._match(raw_name, code_cell or None, fylke_cell or None, cols)
        return self._cache[key]

    def _match(self, raw_name, code_cell, fylke_cell, cols) -> Found:
        name = parse_name(raw_name)
        shown = str(raw_name).strip()
        name_col, fylke_col = cols["name"], cols.get("fylke")
        if not name.key:
            return None, [(name_col, "Enhetsnavn mangler.", "Enhetsnavn (unit name) is empty.")]
        cand = self.candidates(name)
        fylke_hints = [h for h in name.hints if is_fylke(h)]
        if fylke_cell:
            fylke_hints.append(fylke_cell)
        if code_cell:
            return self._match_code(name, shown, code_cell, cand, fylke_hints, fylke_cell, cols)
        if not cand:
            return None, [
                (
                    name_col,
                    f"Ukjent kommune «{shown}»: ingen kommune med dette navnet.",
                    f"Unknown kommune «{shown}»: no kommune has this name.",
                )
            ]
        for hint in fylke_hints:
            within = {c for c in cand if fylke_keys(hint) & fylke_keys(self.by_code[c].fylke)}
            if not within:
                return None, [
                    (
                        fylke_col if hint == fylke_cell else name_col,
                        f"Ingen kommune «{shown}» i fylket «{hint}» (kjente: {self.labels(cand)}).",
                        f"No kommune «{shown}» in the fylke «{hint}» (known: {self.labels(cand)}).",
                    )
                ]
            cand = within
        if name.utgatt:
            cand = {c for c in cand if self.by_code[c].former}
            if len(cand) > 1:
                # «Inderøy kommune (utgått)» is the Inderøy that ended last (1756, 2012–2017),
                # not the one merged into it in 2012 (1729): a publication marks the unit it
                # listed until recently.
                last = max(self.by_code[c].valid_until for c in cand)
                cand = {c for c in cand if self.by_code[c].valid_until == last}
            if not cand:
                return None, [
                    (
                        name_col,
                        f"«{shown}» er merket (utgått), men ingen tidligere kommune med dette "
                        "navnet er kjent. Oppgi kommunenummeret fra før 2020.",
                        f"«{shown}» is marked (utgått) but no former kommune of that name is "
                        "known. Give the kommune number from before 2020.",
                    )
                ]
        else:
            if all(self.by_code[c].former for c in cand):
                # «Nesseby kommune» is the 2020 kommune «Unjárga-Nesseby» (found by the second
                # pass only), not its former number with the spaced name «Unjárga - Nesseby».
                cand |= {
                    c
                    for k in (name.key, *name.parts)
                    for c in self.secondary.get(k, set())
                    if not self.by_code[c].former
                }
            if any(not self.by_code[c].former for c in cand):
                cand = {c for c in cand if not self.by_code[c].former}
        if len(cand) > 1:
            return None, [
                (
                    name_col,
                    f"Tvetydig navn «{shown}» (ambiguous name): passer med {self.labels(cand)}. "
                    "Legg til kolonnen Kommunenummer eller Fylke.",
                    f"Ambiguous name «{shown}»: matches {self.labels(cand)}. "
                    "Add a Kommunenummer or Fylke column.",
                )
            ]
        return next(iter(cand)), []

    def _match_code(self, name, shown, code_cell, cand, fylke_hints, fylke_cell, cols) -> Found:
        name_col, code_col, fylke_col = cols["name"], cols.get("code"), cols.get("fylke")
        code = parse_code(code_cell)
        if code is None:
            return None, [
                (
                    code_col,
                    f"Ugyldig kommunenummer «{code_cell}» (forventet fire sifre, f.eks. 0301).",
                    f"Invalid kommune number «{code_cell}» (expected four digits, e.g. 0301).",
                )
            ]
        if code not in self.by_code:
            return None, [
                (
                    code_col,
                    f"Ukjent kommunenummer {code}: finnes ikke i 2020-inndelingen eller blant "
                    "kjente tidligere kommuner.",
                    f"Unknown kommune number {code}: not in the 2020 structure nor among "
                    "known former kommuner.",
                )
            ]
        k = self.by_code[code]
        if not cand:
            return None, [
                (
                    name_col,
                    f"Ukjent kommune «{shown}» (kommunenummer {code} er {k.name}).",
                    f"Unknown kommune «{shown}» (kommune number {code} is {k.name}).",
                )
            ]
        if code not in cand:
            return None, [
                (
                    code_col,
                    f"Kommunenummer {code} ({k.name}) stemmer ikke med enhetsnavnet «{shown}» "
                    f"(som passer med {self.labels(cand)}).",
                    f"Kommune number {code} ({k.name}) does not agree with the unit name "
                    f"«{shown}» (which matches {self.labels(cand)}).",
                )
            ]
        out: list[tuple[str | None, str, str]] = []
        if name.utgatt and not k.former:
            out.append(
                (
                    name_col,
                    f"«{shown}» er merket (utgått), men {code} er en kommune i 2020-inndelingen.",
                    f"«{shown}» is marked (utgått) but {code} is a kommune in the 2020 structure.",
                )
            )
        for hint in fylke_hints:
            if not (fylke_keys(hint) & fylke_keys(k.fylke)):
                out.append(
                    (
                        fylke_col if hint == fylke_cell else name_col,
                        f"Fylket «{hint}» stemmer ikke med kommunenummer {code} ({k.fylke}).",
                        f"The fylke «{hint}» does not agree with kommune number {code} "
                        f"({k.fylke}).",
                    )
                )
        return (None if out else code), out
