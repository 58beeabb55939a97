"""Merges the runner's per-line summaries into target/samples-run.json.

    python3 summaries.py OUT LINE=FILE [LINE=FILE ...]

Writes OUT, a JSON array with one summary object per Django line, in the order given,
and prints one line per summary:

    django 5.2.19 / drf 3.16.1: 231 of 360 samples ran, 88 output blocks verified, 8 waived

(the runner's own summary line: "waived" is `outputs_waived`, the output blocks not
compared because their sample is waived with `norun`). A line whose FILE is missing or unreadable is left out of OUT, reported on
stderr, and makes the exit status 1.
"""

import json
import sys


def summary_line(obj):
    return (
        f"django {obj['django']} / drf {obj['drf']}: "
        f"{obj['ran']} of {obj['samples']} samples ran, "
        f"{obj['outputs_verified']} output blocks verified, {obj['outputs_waived']} waived"
    )


def main(argv):
    out, pairs = argv[0], argv[1:]
    merged, lines, ok = [], [], True
    for pair in pairs:
        line, _, path = pair.partition("=")
        try:
            with open(path, encoding="utf-8") as f:
                obj = json.load(f)
            text = summary_line(obj)
        except FileNotFoundError:
            print(f"django {line}: no summary (the runner wrote none)", file=sys.stderr)
            ok = False
            continue
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            print(f"django {line}: unreadable summary {path}: {e!r}", file=sys.stderr)
            ok = False
            continue
        merged.append(obj)
        lines.append(text)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(merged, f, indent=2)
        f.write("\n")
    for text in lines:
        print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
