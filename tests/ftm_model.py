"""Validates FollowTheMoney entities (JSON lines of `saksi export --format ftm`)
against the FtM model vendored in tests/data/ftm/defaultModel.json (standard
library only).

An entity passes when: its schema is known and not abstract; its id is
[A-Za-z0-9-] and unique; every property is defined on the schema or one of its
ancestors (the union over the schema's `schemata`) and is no stub (a reverse
property, set only by FtM itself); each value list is a non-empty list of
strings; every required property of the schema is present (the model file lists
each schema's own `required`, which FtM does not inherit: a Message needs
bodyText and sender, not its ancestor Document's fileName);
values of the country, language and gender types are codes the model knows;
and each entity reference resolves to an entity in the same file whose schema
is the property's range or one of its descendants.
"""
import json
import os
import re

MODEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "ftm", "defaultModel.json")
ID = re.compile(r"^[A-Za-z0-9-]+$")
ENUM_TYPES = ("country", "language", "gender")


class Model:
    def __init__(self, path=MODEL):
        with open(path, encoding="utf-8") as f:
            model = json.load(f)
        self.schemata = model["schemata"]
        self.types = model["types"]

    def ancestry(self, schema):
        """The schema and its ancestors."""
        return self.schemata[schema].get("schemata", [schema])

    def properties(self, schema):
        props = {}
        for name in self.ancestry(schema):
            for prop, spec in self.schemata[name].get("properties", {}).items():
                props.setdefault(prop, spec)
        return props

    def required(self, schema):
        return set(self.schemata[schema].get("required", []))

    def is_a(self, schema, parent):
        return parent in self.ancestry(schema)

    def validate(self, entities):
        """Every problem of the entities, as "id: what" strings."""
        problems = []
        by_id = {}
        for e in entities:
            eid = e.get("id")
            if not isinstance(eid, str) or not ID.match(eid):
                problems.append(f"{eid!r}: id not [A-Za-z0-9-]+")
            if eid in by_id:
                problems.append(f"{eid}: id used twice")
            by_id[eid] = e
        for e in entities:
            eid, schema = e.get("id"), e.get("schema")
            if schema not in self.schemata:
                problems.append(f"{eid}: unknown schema {schema!r}")
                continue
            if self.schemata[schema].get("abstract"):
                problems.append(f"{eid}: abstract schema {schema}")
            props = self.properties(schema)
            values = e.get("properties")
            if not isinstance(values, dict):
                problems.append(f"{eid}: properties is not an object")
                continue
            for prop in sorted(self.required(schema) - set(values)):
                problems.append(f"{eid}: {schema} lacks required {prop}")
            for prop, vals in values.items():
                spec = props.get(prop)
                if spec is None:
                    problems.append(f"{eid}: {schema} has no property {prop}")
                    continue
                if spec.get("stub"):
                    problems.append(f"{eid}: {schema}.{prop} is a stub")
                if not isinstance(vals, list) or not vals or \
                        not all(isinstance(v, str) and v for v in vals):
                    problems.append(f"{eid}: {prop} is not a list of non-empty strings")
                    continue
                kind = spec.get("type")
                if kind in ENUM_TYPES:
                    known = self.types[kind].get("values", {})
                    for v in vals:
                        if v not in known:
                            problems.append(f"{eid}: {prop} {v!r} is no {kind} code")
                if kind == "entity":
                    for v in vals:
                        target = by_id.get(v)
                        if target is None:
                            problems.append(f"{eid}: {prop} -> {v} not in the file")
                        elif target.get("schema") in self.schemata and \
                                not self.is_a(target["schema"], spec.get("range", "Thing")):
                            problems.append(f"{eid}: {prop} -> {target['schema']}, "
                                            f"not a {spec.get('range')}")
        return problems


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
