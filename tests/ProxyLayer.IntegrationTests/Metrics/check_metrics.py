"""Parses a metrics text from stdin with the Prometheus Python client's own parsers and prints, as JSON, what it found.

    check_metrics.py text|openmetrics REFERENCE.tsv < metrics.txt

Output: {"families": {name: {"type": t, "labels": [...], "samples": [[sample name, {labels}, value], ...]}},
         "missing": [reference names absent], "type_mismatches": [...], "label_mismatches": [...]}
A parse error exits with status 2 and the parser's message on stderr. Family names are given as on the '# TYPE' line
of the text format (a counter's '_total' kept), which is how the reference list names them.
"""
import json
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics
from prometheus_client.parser import text_string_to_metric_families as parse_text

IGNORED_LABELS = {"quantile", "le"}


def exposed_name(family, declared):
    # The parsers drop a counter's _total from the family name; the reference keeps it, as the '# TYPE' line does.
    if family.type == "counter" and family.name + "_total" in declared:
        return family.name + "_total"
    return family.name


def main():
    fmt, reference_path = sys.argv[1], sys.argv[2]
    text = sys.stdin.read()
    parse = parse_openmetrics if fmt == "openmetrics" else parse_text
    try:
        families = list(parse(text))
    except Exception as error:  # the parser's own complaint is the point of this check
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(2)

    declared = {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE ")}
    if fmt == "openmetrics":
        declared |= {name + "_total" for name in declared}
    found = {}
    for family in families:
        labels = sorted({k for s in family.samples for k in s.labels if k not in IGNORED_LABELS})
        name = exposed_name(family, declared)
        if name in found and not family.samples:
            continue
        found[name] = {
            "type": family.type,
            "labels": labels,
            "samples": [[s.name, s.labels, s.value] for s in family.samples],
        }

    reference = {}
    with open(reference_path, encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            name, kind, labels, _help = line.rstrip("\n").split("\t")
            reference[name] = (kind, sorted(filter(None, labels.split(","))))

    def comparable(name):
        # OpenMetrics sends counters that cannot be typed there as 'unknown' (see ExpositionWriter).
        return name in found and not (fmt == "openmetrics" and found[name]["type"] == "unknown")

    result = {
        "families": found,
        "missing": sorted(n for n in reference if n not in found),
        "type_mismatches": sorted(f"{n}: {found[n]['type']} instead of {k}" for n, (k, _) in reference.items()
                                  if comparable(n) and found[n]["type"] != k),
        "label_mismatches": sorted(f"{n}: {found[n]['labels']} instead of {l}" for n, (_, l) in reference.items()
                                   if n in found and found[n]["samples"] and found[n]["labels"] != l),
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
