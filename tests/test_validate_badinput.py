"""`juesuan validate` on hostile and malformed records: one error line naming the file, exit 2, never a
traceback; other encodings of a good record are read; an empty record is not passed as checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()
SOURCE = {"page": 1, "quote": "收入、支出决算总计100.00万元"}
GOOD = {"department": "某局", "fiscal_year": 2024, "unit": "万元",
        "summary": {"total": {"value": 100, "sources": [SOURCE]}}}
GOLD = {"fields": {"department": "某局", "summary.total": {"value": 100, **SOURCE}}}


def fig(value: str) -> str:
    """A record whose one figure has ``value`` written verbatim into the JSON (not through json.dumps)."""
    return '{"department": "某局", "summary": {"total": {"value": ' + value + ', "sources": []}}}'


MALFORMED: dict[str, tuple[bytes, str]] = {
    "empty-object": (b"{}", "empty record"),
    "empty-gold": (b'{"fields": {}}', "empty record"),
    "a-list": (b"[]", "expected a JSON object, found a list"),
    "null": (b"null", "expected a JSON object, found null"),
    "extract-null-record": (b'{"record": null, "status": "reconciled"}', "found null"),
    "deep-lists": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "deep-objects": (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested too deeply"),
    "gold-fields-null": (b'{"fields": null}', "empty record"),
    "gold-fields-list": (b'{"fields": [1, 2]}', "'fields' must be an object"),
    "gold-fields-string": (b'{"fields": "summary.total"}', "'fields' must be an object"),
    "gold-figure-no-value": (json.dumps({"fields": {"income.total": SOURCE}}).encode(), "'income.total': no 'value'"),
    "gold-figure-abc": (json.dumps({"fields": {"income.total": {"value": "abc", **SOURCE}}}).encode(),
                        "'income.total': "),
    "gold-figure-a-list": (b'{"fields": {"income.total": [1, 2]}}', "'income.total'"),
    "figure-no-value": (json.dumps({"summary": {"total": {"sources": [SOURCE]}}}).encode(),
                        "summary.total.value: Field required"),
    "figure-abc": (fig('"abc"').encode(), "not a number: 'abc'"),
    "figure-1e999999": (fig("1E+999999").encode(), "between 1E-9 and 1E+15"),
    "figure-1e-999999": (fig("1E-999999").encode(), "between 1E-9 and 1E+15"),
    "figure-nan": (fig("NaN").encode(), "finite"),
    "figure-infinity": (fig("-Infinity").encode(), "finite"),
    "figure-5000-digits": (fig("9" * 5000).encode(), "not JSON"),
    "not-json": (b'{"department": ', "not JSON"),
    "binary": (bytes(range(256)) * 4, "cannot tell the text's encoding"),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_record_is_one_error_line_exit_2(tmp_path, name):
    data, words = MALFORMED[name]
    path = tmp_path / f"{name}.json"
    path.write_bytes(data)
    result = runner.invoke(app, ["validate", str(path)])
    assert not (result.exception and not isinstance(result.exception, SystemExit)), repr(result.exception)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}: "), result.output
    assert words in lines[0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("kind", ["record", "gold"])
def test_a_good_record_in_any_usual_encoding_is_checked(tmp_path, encoding, kind):
    path = tmp_path / "record.json"
    path.write_bytes(json.dumps(GOOD if kind == "record" else GOLD, ensure_ascii=False).encode(encoding))
    result = runner.invoke(app, ["validate", "--json", str(path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    counts = report["rules"]["GRD.printed"]
    assert (counts["checked"], counts["passed"], counts["not_checked"]) == (1, 1, 0)  # the figure was read


def test_validate_of_a_missing_file_or_folder(tmp_path: Path):
    for target in (tmp_path / "absent.json", tmp_path):
        result = runner.invoke(app, ["validate", str(target)])
        assert result.exit_code == 2 and result.output.startswith(f"error: {target}: cannot read the file")
