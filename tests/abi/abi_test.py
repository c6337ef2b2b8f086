#!/usr/bin/env python3
"""ABI tests: the host refuses broken plugins with a reason and survives a
stage that throws.

usage: abi_test.py --saksi BIN --plugin-dir DIR --pipeline throws.toml
                   [--schema record.schema.json] [unittest args, e.g. a class name]

The plugins come from tests/abi/*.c|cpp, built into DIR (see CMakeLists.txt).
"""
import argparse
import json
import os
import re
import sys
import tempfile
import unittest
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from saksi_testing import describe, remove_unless_kept, run, write_png  # noqa: E402

ARGS = None  # filled in by main()

REFUSED = {
    # library: what its refusal reason must mention
    "wrong_major.so": "ABI major 99",
    "no_entry.so": "saksi_plugin_entry",
    "missing_hook.so": "process",
}
LOADED = ["throws", "good_minimal", "decode_image"]
C_MINIMAL_TEXT = "saksi://abi-test/c_minimal"  # the entity good_minimal.c appends








def split_listing(stdout):
    """(text above the 'refused:' line, {library file name: reason})."""
    lines = stdout.splitlines()
    marker = next((i for i, line in enumerate(lines) if line.strip() == "refused:"), None)
    if marker is None:
        return stdout, None
    refused = {}
    for line in lines[marker + 1:]:
        if not line.startswith("  "):
            break  # the refused section ends at the first unindented line
        path, sep, reason = line.strip().partition(".so: ")
        if sep:
            refused[os.path.basename(path) + ".so"] = reason
    return "\n".join(lines[:marker]), refused


class PluginsListingTest(unittest.TestCase):
    """saksi plugins --plugin-path DIR"""

    @classmethod
    def setUpClass(cls):
        cls.proc = run([ARGS.saksi, "plugins", "--plugin-path", ARGS.plugin_dir])
        cls.loaded, cls.refused = split_listing(cls.proc.stdout)

    def test_plugins_exist(self):
        for name in list(REFUSED) + ["throws.so", "good_minimal.so"]:
            path = os.path.join(ARGS.plugin_dir, name)
            self.assertTrue(os.path.isfile(path), f"{path} was not built")

    def test_exit_code_is_zero(self):
        self.assertEqual(self.proc.returncode, 0, "a broken plugin must never fail or crash the host"
                         + describe(self.proc))

    def test_has_refused_section(self):
        self.assertIsNotNone(self.refused, "no 'refused:' line in the output" + describe(self.proc))

    def test_broken_plugins_are_refused_with_reason(self):
        self.assertIsNotNone(self.refused, "no 'refused:' line" + describe(self.proc))
        for library, expected in REFUSED.items():
            with self.subTest(library=library):
                self.assertIn(library, self.refused,
                              f"{library} is not listed under 'refused:' as '  <path>: <reason>'"
                              + describe(self.proc))
                self.assertIn(expected.lower(), self.refused[library].lower(),
                              f"the reason for {library} should mention {expected!r}"
                              + describe(self.proc))

    def test_broken_plugins_are_not_loaded(self):
        for library in REFUSED:
            name = library[:-len(".so")]
            with self.subTest(library=library):
                self.assertIsNone(re.search(rf"\b{name}\b", self.loaded),
                                  f"{name} appears above 'refused:'" + describe(self.proc))

    def test_good_plugins_are_loaded(self):
        for name in LOADED:
            with self.subTest(plugin=name):
                self.assertRegex(self.loaded, rf"\b{name}\b",
                                 f"{name} is not listed as loaded" + describe(self.proc))

    def test_loaded_stages_are_listed(self):
        for stage in ("extract.throws", "extract.c_minimal"):
            with self.subTest(stage=stage):
                self.assertIn(stage, self.loaded, describe(self.proc))


class ThrowingStageTest(unittest.TestCase):
    """saksi process PNG --pipeline throws.toml --plugin-path DIR"""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="saksi-abi-")
        png = os.path.join(cls.tmp, "input", "stripes.png")
        os.makedirs(os.path.dirname(png))
        cls.digest = write_png(png)
        cls.out = os.path.join(cls.tmp, "out")
        cls.proc = run([ARGS.saksi, "process", png, "--out", cls.out, "--pipeline", ARGS.pipeline,
                        "--plugin-path", ARGS.plugin_dir])
        cls.record_path = os.path.join(cls.out, "records", cls.digest + ".json")
        cls.record = None
        if os.path.isfile(cls.record_path):
            with open(cls.record_path, encoding="utf-8") as f:
                cls.record = json.load(f)

    @classmethod
    def tearDownClass(cls):
        remove_unless_kept(cls.tmp)

    def require_record(self):
        if self.record is None:
            self.fail(f"no record at {self.record_path}" + describe(self.proc))
        return self.record

    def test_exit_code_is_3(self):
        self.assertEqual(self.proc.returncode, 3, "a document that is not ok exits with 3"
                         + describe(self.proc))

    def test_record_exists(self):
        self.require_record()

    def test_not_in_failed(self):
        failed = os.path.join(self.out, "failed", self.digest + ".json")
        self.assertFalse(os.path.exists(failed),
                         "a stage error after decoding makes the document partial, not failed")

    def test_status_is_partial(self):
        self.assertEqual(self.require_record().get("status"), "partial")

    def test_error_is_recorded(self):
        errors = self.require_record().get("errors", [])
        matching = [e for e in errors
                    if e.get("stage") == "extract.throws" and e.get("code") == "stage.exception"]
        self.assertEqual(len(matching), 1,
                         "expected one error {stage: extract.throws, code: stage.exception}; "
                         f"errors: {json.dumps(errors, indent=1)}")
        self.assertIn("deliberate failure", matching[0].get("message", ""))

    def test_pipeline_went_on(self):
        entities = self.require_record().get("entities", [])
        ours = [e for e in entities if e.get("text") == C_MINIMAL_TEXT]
        self.assertEqual(len(ours), 1, "extract.c_minimal runs after extract.throws and appends "
                         f"one entity; entities: {json.dumps(entities, indent=1)}")
        self.assertEqual(ours[0].get("type"), "url")
        self.assertIn("extract.c_minimal", ours[0].get("detector", ""),
                      "an entity without detector gets the stage's")

    def test_record_matches_schema(self):
        record = self.require_record()
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                        "integration"))
        import record_schema  # noqa: E402  (tests/integration/record_schema.py)
        validator = record_schema.load_validator(ARGS.schema)
        errors = record_schema.describe_errors(validator, record)
        self.assertEqual(errors, [], "\n".join(errors))


def main():
    global ARGS
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saksi", required=True, help="the saksi executable")
    parser.add_argument("--plugin-dir", required=True, help="folder of the ABI test plugins")
    parser.add_argument("--pipeline", default=os.path.join(here, "throws.toml"))
    parser.add_argument("--schema",
                        default=os.path.join(here, "..", "..", "config", "record.schema.json"))
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
