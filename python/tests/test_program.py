"""Loading, compiling and checking: diagnostics as Python objects with
leadc's codes and locations."""

import pytest

import leadc
from conftest import EXAMPLES

SCHEMA = '[fields]\nage = "int"\ntitle = "string"\n'


def test_a_program_that_does_not_check_raises_with_located_diagnostics():
    with pytest.raises(leadc.CompileError) as caught:
        leadc.compile("category fit max 50\nfit agee >= 18 : 10\n", SCHEMA)
    error = caught.value
    assert isinstance(error, leadc.LeadcError)
    [d] = error.diagnostics
    assert (d.code, d.severity, d.file, d.line, d.column) == ("E0301", "error", "program.lead", 2, 5)
    assert d.message == "unknown field `agee`"
    assert "did you mean `age`?" in (d.help or "") + " ".join(d.notes) + d.rendered
    assert "program.lead:2:5" in d.rendered and "program.lead:2:5" in str(error)
    assert repr(d).startswith("<Diagnostic error E0301 at program.lead:2:5")


def test_lints_are_diagnostics_of_a_program_that_loads():
    program = leadc.compile("category fit max 50\nfit age >= 18 : 10\n", SCHEMA)
    lints = program.check()
    assert lints, "a program of one fit rule trips the balance lints"
    assert all(d.code.startswith("L") and d.lint and d.severity == "warning" for d in lints)
    assert all(d.line is not None for d in lints)


def test_check_a_file_returns_errors_and_lints_without_raising(tmp_path):
    (tmp_path / "s.toml").write_text(SCHEMA)
    bad = tmp_path / "bad.lead"
    bad.write_text('schema "s.toml"\ncategory fit max 50\nfit title = 3 : 10\n')
    [d] = leadc.check(bad)
    assert (d.code, d.severity, d.line, d.column, d.file) == ("E0303", "error", 3, 13, str(bad)), d
    assert d.message == "`title` is a string field and cannot be compared with an integer"
    assert leadc.check(EXAMPLES / "saas" / "saas.lead") == []


def test_a_missing_file_is_a_leadc_error():
    with pytest.raises(leadc.LeadcError, match="cannot read"):
        leadc.load("no/such/program.lead")


def test_program_facts(saas):
    assert saas.tiers == ["sales_ready", "nurture", "cold"]
    assert "interest" in saas.categories
    assert ("age", "int") in saas.fields and "demo_request" in saas.behaviours
    assert not saas.is_timed and leadc.load(EXAMPLES / "timed" / "timed.lead").is_timed
    assert repr(saas) == "<leadc.Program: 3 must-haves, 19 rules in 5 categories, 3 tiers>"


def test_a_schema_error_points_into_the_schema():
    with pytest.raises(leadc.CompileError) as caught:
        leadc.compile("category fit max 50\nfit age >= 18 : 10\n", '[fields]\nage = "integer"\n')
    [d] = caught.value.diagnostics
    assert d.file == "schema.toml" and d.line == 2
