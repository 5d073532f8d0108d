"""Fylker and the survey's landsdeler: one definition for the build, the importers and the map.

FYLKE_2020: the 2020 fylker by the first two digits of a 2020 kommune code.
LANDSDEL_FYLKER_2010: the four regions of the 2010 survey (Tabell 2). The report does not list
their fylker; this is the reading shared/reference/README.md calls most plausible, and the app
shows it as an assumption (sources.toml: landsdel_grouping).
"""

from __future__ import annotations

FYLKE_2020 = {
    "03": "Oslo",
    "11": "Rogaland",
    "15": "Møre og Romsdal",
    "18": "Nordland",
    "30": "Viken",
    "34": "Innlandet",
    "38": "Vestfold og Telemark",
    "42": "Agder",
    "46": "Vestland",
    "50": "Trøndelag",
    "54": "Troms og Finnmark",
}

LANDSDEL_FYLKER_2010 = {
    "Oslo og Akershus": ["Oslo", "Akershus"],
    "Østlandet": ["Østfold", "Hedmark", "Oppland", "Buskerud", "Vestfold", "Telemark"],
    "Sør- og Vestlandet": [
        "Aust-Agder",
        "Vest-Agder",
        "Rogaland",
        "Hordaland",
        "Sogn og Fjordane",
        "Møre og Romsdal",
    ],
    "Midt- og Nord-Norge": ["Sør-Trøndelag", "Nord-Trøndelag", "Nordland", "Troms", "Finnmark"],
}
LANDSDEL_BY_FYLKE_2010 = {f: ld for ld, fs in LANDSDEL_FYLKER_2010.items() for f in fs}

# The fylker before 2020, by the first two digits of a pre-2020 kommune code (50 = Trøndelag
# 2018–2019).
FYLKE_BEFORE_2020 = {
    "01": "Østfold",
    "02": "Akershus",
    "03": "Oslo",
    "04": "Hedmark",
    "05": "Oppland",
    "06": "Buskerud",
    "07": "Vestfold",
    "08": "Telemark",
    "09": "Aust-Agder",
    "10": "Vest-Agder",
    "11": "Rogaland",
    "12": "Hordaland",
    "14": "Sogn og Fjordane",
    "15": "Møre og Romsdal",
    "16": "Sør-Trøndelag",
    "17": "Nord-Trøndelag",
    "18": "Nordland",
    "19": "Troms",
    "20": "Finnmark",
    "50": "Trøndelag",
}
