#!/usr/bin/env python3
"""Validates XML files against an XSD with lxml: scripts/xsd-validate.py XSD XML...

Prints one line per file (OK or INVALID with the schema's errors). Exit status: 0 when
every file is valid, 1 when one is not, 2 when the check itself cannot run (usage, lxml
missing, unreadable schema) -- so that a caller can tell "invalid" from "not checked".
"""
import sys

try:
    from lxml import etree
except ImportError:
    print("xsd-validate: python3 module lxml missing (python3 -m pip install lxml)", file=sys.stderr)
    sys.exit(2)

if len(sys.argv) < 3:
    print(__doc__, file=sys.stderr)
    sys.exit(2)
try:
    schema = etree.XMLSchema(etree.parse(sys.argv[1]))
except (OSError, etree.XMLSchemaParseError, etree.XMLSyntaxError) as e:
    print(f"xsd-validate: cannot load schema {sys.argv[1]}: {e}", file=sys.stderr)
    sys.exit(2)
status = 0
for path in sys.argv[2:]:
    try:
        document = etree.parse(path)
    except OSError as e:
        print(f"xsd-validate: cannot read {path}: {e}", file=sys.stderr)
        sys.exit(2)
    except etree.XMLSyntaxError as e:
        print(f"{path}: INVALID (not well-formed XML): {e}")
        status = 1
        continue
    if schema.validate(document):
        print(f"{path}: OK")
    else:
        status = 1
        for error in schema.error_log:
            print(f"{path}:{error.line}: INVALID: {error.message}")
sys.exit(status)
