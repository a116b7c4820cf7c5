"""One export in a fresh process, so that its peak memory is its own:
``python -m benchmarks.export_child --format csv|xlsx --campaign ID --out PATH``.

Prints one JSON line: seconds of the export call, bytes written, resident memory before the
call (Django and the renderer loaded) and the process's peak (VmHWM).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path


def _status_kb(name: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    return 0


def _export(function, campaign, path: str, **options) -> None:
    """The export into a binary file; into a text file if the function writes text."""
    with open(path, "wb") as out:
        try:
            function(campaign=campaign, out=out, **options)
            return
        except TypeError as error:
            if "bytes" not in str(error) and "str" not in str(error):
                raise
    with open(path, "w", encoding="utf-8", newline="") as out:
        function(campaign=campaign, out=out, **options)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--format", choices=["csv", "xlsx"], required=True)
    parser.add_argument("--campaign", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()
    from consultations.models import Campaign

    try:
        from analysis import exports
    except Exception as error:
        print(json.dumps({"error": f"analysis.exports cannot be imported ({error!r})"}))
        return 3
    name = "write_raw_responses_csv" if args.format == "csv" else "write_xlsx"
    function = getattr(exports, name, None)
    if function is None:
        print(json.dumps({"error": f"analysis.exports.{name} does not exist"}))
        return 3
    options = {} if args.format == "csv" else {"language": "nl", "include_raw": True}
    campaign = Campaign.objects.get(pk=args.campaign)
    if args.format == "xlsx":
        import openpyxl  # noqa: F401 - loaded before the baseline is read, as CSV needs nothing

    baseline = _status_kb("VmRSS")
    started = time.perf_counter()
    try:
        _export(function, campaign, args.out, **options)
    except Exception as error:
        print(json.dumps({"error": f"{name} failed: {error!r}"}))
        return 4
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "bytes": os.path.getsize(args.out),
                "baseline_kb": baseline,
                "peak_kb": _status_kb("VmHWM"),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
