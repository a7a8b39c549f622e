#!/usr/bin/env bash
# Refresh every .po file from the source: the apps with their own locale/ folder, then the
# project-wide catalogue (yiwang/locale) for everything else. Translate what it lists after.
set -euo pipefail
cd "$(dirname "$0")/.."
admin=".venv/bin/django-admin"
own=()
for dir in yiwang/*/locale; do
  app=$(dirname "$dir")
  own+=("--ignore=$(basename "$app")/*")
  (cd "$app" && "../../$admin" makemessages -l zh_Hans -v0 --settings=yiwang.settings --pythonpath=../..)
done
(cd yiwang && "../$admin" makemessages -l zh_Hans -v0 --settings=yiwang.settings --pythonpath=.. "${own[@]}")
.venv/bin/python - <<'PY'
import glob, polib
for path in sorted(glob.glob("yiwang/**/locale/zh_Hans/LC_MESSAGES/django.po", recursive=True)):
    po = polib.pofile(path)
    todo = [e.msgid for e in po if not e.obsolete and ("fuzzy" in e.flags or not (e.msgstr or any(e.msgstr_plural.values())))]
    print(f"{path}: {len(todo)} to translate")
    for msgid in todo:
        print("   ", repr(msgid))
PY
