"""Fill a .po file's empty entries from a JSON dictionary {msgid: msgstr}; list what stays empty.

Usage: python tools/po_fill.py PATH/django.po translations.json
A plural entry takes a list of forms (Chinese has one: ["…"]).
"""

import json
import sys

import polib


def main(po_path: str, dictionary_path: str) -> int:
    with open(dictionary_path, encoding="utf-8") as handle:
        translations = json.load(handle)
    po = polib.pofile(po_path)
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        text = translations.get(entry.msgid)
        if "fuzzy" in entry.flags and not text:
            # A fuzzy guess is another message's translation: never ship it.
            entry.msgstr = ""
            entry.msgstr_plural = {index: "" for index in entry.msgstr_plural}
        if entry.msgid_plural:
            if text:
                forms = text if isinstance(text, list) else [text]
                entry.msgstr_plural = dict(enumerate(forms))
            if not any(entry.msgstr_plural.values()):
                missing.append(entry.msgid)
        else:
            if text:
                entry.msgstr = text
            if not entry.msgstr:
                missing.append(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(po_path)
    for msgid in missing:
        print("untranslated:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
