"""SYNTHETIC files in the layout of Udir's download (statistikkbanken / Skoleporten
«nedlasting.csv»), for tests and benchmarks only — never for display and never written to data/.

The layout is the real one:

    Enhetsnavn;Skoletype;Vurderingsområde;Statistikk;Indikator/delskår;Periode;Eierform;Trinn;
    Kjønn;Verdi;Måleenhet

with the real kommune names (a national file lists every kommune of the 2020 structure, and the
former kommuner this app knows under their old names with «(utgått)» for periods before 2020),
but every value is drawn from a seeded random generator: nothing here is a real skolebidrag.
Schools are named «Syntetisk skole N» and placed in kommuner at random.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

import pandas as pd

HEADER = (
    "Enhetsnavn;Skoletype;Vurderingsområde;Statistikk;Indikator/delskår;Periode;Eierform;"
    "Trinn;Kjønn;Verdi;Måleenhet"
)
TRINN = {"1-4": "1.-4. trinn", "5-7": "5.-7. trinn", "8-10": "8.-10. trinn"}
UNIT = {"1-4": "Skalapoeng", "5-7": "Skalapoeng", "8-10": "Karakterpoeng"}
PERIODS = tuple(f"{y}-{y + 1}" for y in range(2014, 2024))  # as the download writes them


def _value(rng: random.Random, sd: float, missing: float) -> str:
    r = rng.random()
    if r < missing:
        return rng.choice([".", "*", ":"])
    return f"{rng.gauss(0, sd):.1f}".replace(".", ",")


def rows(
    units: Iterable[tuple[str, str] | tuple[str, str, str]],
    trinn: Sequence[str],
    periods: Sequence[str],
    rng: random.Random,
    *,
    sexes: Sequence[str] = ("Begge kjønn",),
    eierformer: Sequence[str] = ("Alle eierformer",),
    actual_expected: bool = True,
    missing: float = 0.03,
) -> Iterable[str]:
    """One line per unit (name, level «kommune»/«skole»[, its kommune]), trinn, period,
    indicator, sex, owner. With a third element the line ends with a Kommune column."""
    for unit in units:
        name, level = unit[0], unit[1]
        tail = f";{unit[2]}" if len(unit) > 2 else ""
        sd = 1.2 if level == "kommune" else 2.5
        for tr in trinn:
            indicators = ["Skolebidrag"]
            if actual_expected and tr == "8-10":
                indicators += ["Faktiske karakterpoeng", "Forventede karakterpoeng"]
            for period in periods:
                for indicator in indicators:
                    for sex in sexes:
                        for owner in eierformer:
                            if indicator == "Skolebidrag":
                                v = _value(rng, sd, missing)
                            else:
                                v = f"{rng.gauss(40, 3):.1f}".replace(".", ",")
                            yield (
                                f"{name};Grunnskole;Læringsresultater;Skolebidrag {TRINN[tr]};"
                                f"{indicator};{period};{owner};{TRINN[tr]};{sex};{v};{UNIT[tr]}"
                                f"{tail}"
                            )


def national_download(
    kommuner: pd.DataFrame,
    *,
    trinn: Sequence[str] = ("1-4", "5-7", "8-10"),
    periods: Sequence[str] = PERIODS,
    schools: int = 0,
    seed: int = 2024,
    with_totals: bool = True,
    encoding: str = "utf-8-sig",
    newline: str = "\r\n",
    **options,
) -> bytes:
    """A national download: the nation, every fylke-less kommune row, optionally `schools`
    schools (rows without a kommune column, as the download gives them).

    `kommuner` is data.kommuner.reference(): the 356 kommuner of 2020 plus known former ones.
    Former kommuner carry the periods before 2019-2020, their successors the later ones.
    """
    rng = random.Random(seed)
    current = kommuner[~kommuner.is_former.astype(bool)]
    # former kommuner that still existed when the periods begin (2014); earlier ones have no data
    former = kommuner[kommuner.is_former.astype(bool) & (kommuner.valid_until >= "2014-01-01")]
    old = [p for p in periods if int(p[:4]) < 2019]
    new = [p for p in periods if int(p[:4]) >= 2019]
    replaced = {c for codes in former.successor_codes for c in codes.split(";")}
    lines = [HEADER]
    if with_totals:
        lines += rows([("Nasjonalt", "nasjon")], trinn, periods, rng, **options)
    for r in current.itertuples():
        name = f"{r.kommune_name} kommune"
        lines += rows(
            [(name, "kommune")],
            trinn,
            new if r.kommune_code in replaced else periods,
            rng,
            **options,
        )
    for r in former.itertuples():
        lines += rows(
            [(f"{r.kommune_name} kommune (utgått)", "kommune")], trinn, old, rng, **options
        )
    lines += rows(
        [(f"Syntetisk skole {i + 1}", "skole") for i in range(schools)],
        trinn,
        periods,
        rng,
        **options,
    )
    return (newline.join(lines) + newline).encode(encoding)


def schools_download(
    kommuner: pd.DataFrame,
    schools: int = 2_800,
    *,
    trinn: Sequence[str] = ("1-4", "5-7", "8-10"),
    periods: Sequence[str] = PERIODS,
    seed: int = 11,
) -> bytes:
    """A national school-level file (`schools` × trinn × periods rows of skolebidrag) with a
    Kommune column placing each school (at random) in a 2020 kommune — the shape the app needs
    to keep schools per kommune. SYNTHETIC values."""
    rng = random.Random(seed)
    names = list(kommuner[~kommuner.is_former.astype(bool)].kommune_name)
    units = [(f"Syntetisk skole {i + 1}", "skole", rng.choice(names)) for i in range(schools)]
    lines = [HEADER + ";Kommune"]
    lines += rows(units, trinn, periods, rng, actual_expected=False)
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def kommune_with_schools(
    kommune_name: str,
    schools: int,
    *,
    trinn: Sequence[str] = ("1-4", "5-7", "8-10"),
    periods: Sequence[str] = PERIODS,
    seed: int = 7,
    encoding: str = "utf-8-sig",
    **options,
) -> bytes:
    """One kommune and its schools: what a school owner downloads for «my kommune»."""
    rng = random.Random(seed)
    lines = [HEADER]
    lines += rows([(f"{kommune_name} kommune", "kommune")], trinn, periods, rng, **options)
    lines += rows(
        [(f"Syntetisk skole {i + 1}", "skole") for i in range(schools)],
        trinn,
        periods,
        rng,
        **options,
    )
    return ("\r\n".join(lines) + "\r\n").encode(encoding)
