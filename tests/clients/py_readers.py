"""Reads bibconv's outputs with rispy (RIS) and bibtexparser (BibTeX/BibLaTeX), as the tests
in tests/clients.rs ask.

stdin: [{"path": "...", "format": "bibtex" | "biblatex" | "ris"}, ...]
stdout: [{"path", "reader", "count", "error", "problems": [...]}, ...]
"""
import json
import sys
import warnings

import bibtexparser
import rispy


def read_ris(text):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        entries = rispy.loads(text)
    problems = [f"warning: {w.message}" for w in caught]
    for i, e in enumerate(entries):
        if "type_of_reference" not in e:
            problems.append(f"record {i + 1} has no TY")
    return len(entries), problems


def read_bib(text):
    library = bibtexparser.parse_string(text)
    problems = []
    for block in library.failed_blocks:
        err = getattr(block, "error", None)
        start = getattr(block, "start_line", None)
        raw = (getattr(block, "raw", "") or "")[:160].replace("\n", " ")
        problems.append(f"failed block at line {start}: {type(block).__name__}: {err}: {raw}")
    return len(library.entries), problems


def main():
    results = []
    for job in json.load(sys.stdin):
        path, fmt = job["path"], job["format"]
        reader = "rispy" if fmt == "ris" else "bibtexparser"
        result = {"path": path, "format": fmt, "reader": reader}
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            count, problems = read_ris(text) if fmt == "ris" else read_bib(text)
            result["count"] = count
            result["problems"] = problems
        except Exception as e:  # noqa: BLE001 - any failure is a result to report
            result["error"] = f"{type(e).__name__}: {e}"
        results.append(result)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
