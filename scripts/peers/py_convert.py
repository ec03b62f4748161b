"""Python peer for scripts/bench.sh: bibtexparser 2 + rispy (+ nbib).

python3 py_convert.py FROM TO IN OUT, FROM in ris|bibtex|nbib, TO in bibtex|ris.
"""
import sys

import bibtexparser
from bibtexparser.model import Entry, Field
import rispy

RIS_TO_BIB = {"JOUR": "article", "BOOK": "book", "CHAP": "incollection", "THES": "phdthesis"}
BIB_TO_RIS = {v: k for k, v in RIS_TO_BIB.items()}


def entries_from_ris(path):
    with open(path, encoding="utf-8") as f:
        for i, r in enumerate(rispy.load(f)):
            fields = {
                "author": " and ".join(r.get("authors", [])),
                "title": r.get("title") or r.get("primary_title", ""),
                "journal": r.get("secondary_title", ""),
                "year": r.get("year", ""),
                "volume": r.get("volume", ""),
                "number": r.get("number", ""),
                "pages": "--".join(p for p in (r.get("start_page"), r.get("end_page")) if p),
                "doi": r.get("doi", ""),
                "abstract": r.get("abstract", ""),
                "keywords": ", ".join(r.get("keywords", [])),
            }
            yield RIS_TO_BIB.get(r.get("type_of_reference"), "misc"), f"r{i}", fields


def entries_from_nbib(path):
    import nbib

    with open(path, encoding="utf-8") as f:
        for i, r in enumerate(nbib.read(f.read())):
            fields = {
                "author": " and ".join(a.get("author", "") for a in r.get("authors", [])),
                "title": r.get("title", ""),
                "journal": r.get("journal", ""),
                "year": str(r.get("publication_date", ""))[:4],
                "volume": r.get("journal_volume", ""),
                "number": r.get("journal_issue", ""),
                "pages": r.get("pages", ""),
                "doi": r.get("doi", ""),
                "abstract": r.get("abstract", ""),
                "keywords": ", ".join(r.get("keywords", [])),
            }
            yield "article", f"p{i}", fields


def write_bibtex(entries, path):
    lib = bibtexparser.Library()
    for kind, key, fields in entries:
        lib.add(Entry(kind, key, [Field(k, v) for k, v in fields.items() if v]))
    with open(path, "w", encoding="utf-8") as f:
        f.write(bibtexparser.write_string(lib))


def bibtex_to_ris(src, dst):
    lib = bibtexparser.parse_file(src)
    records = []
    for e in lib.entries:
        f = e.fields_dict
        get = lambda k: f[k].value if k in f else None
        rec = {"type_of_reference": BIB_TO_RIS.get(e.entry_type, "GEN")}
        if get("author"):
            rec["authors"] = [a.strip() for a in get("author").split(" and ")]
        for bib, ris in [("title", "title"), ("journal", "secondary_title"), ("year", "year"),
                         ("volume", "volume"), ("number", "number"), ("doi", "doi"),
                         ("abstract", "abstract")]:
            if get(bib):
                rec[ris] = get(bib)
        if get("pages"):
            rec["start_page"], _, rec["end_page"] = get("pages").partition("--")
        if get("keywords"):
            rec["keywords"] = [k.strip() for k in get("keywords").split(",")]
        records.append(rec)
    with open(dst, "w", encoding="utf-8") as f:
        rispy.dump(records, f)


def main():
    src_fmt, dst_fmt, src, dst = sys.argv[1:5]
    if src_fmt == "bibtex" and dst_fmt == "ris":
        bibtex_to_ris(src, dst)
    elif src_fmt == "ris" and dst_fmt == "bibtex":
        write_bibtex(entries_from_ris(src), dst)
    elif src_fmt == "nbib" and dst_fmt == "bibtex":
        write_bibtex(entries_from_nbib(src), dst)
    else:
        sys.exit(f"unsupported: {src_fmt} -> {dst_fmt}")


if __name__ == "__main__":
    main()
