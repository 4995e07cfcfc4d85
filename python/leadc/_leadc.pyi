"""Type stubs for the compiled half of the package (python/src/lib.rs)."""

from typing import Optional

import pyarrow

class LeadcError(Exception):
    """Anything leadc refuses: the base of its errors."""

class CompileError(LeadcError):
    """A program that does not parse or check."""

    diagnostics: list[Diagnostic]

class DataError(LeadcError):
    """Data that cannot be read at all."""

class Diagnostic:
    """One finding about a program: an error or a lint, located."""

    code: str
    lint: Optional[str]
    severity: str
    message: str
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    end_line: Optional[int]
    end_column: Optional[int]
    help: Optional[str]
    notes: list[str]
    rendered: str

class Program:
    source: Optional[str]
    tiers: list[str]
    categories: list[str]
    fields: list[tuple[str, str]]
    behaviours: list[str]
    is_timed: bool
    def score_arrow(
        self, table: object, mapping: list[tuple[str, str]], as_of: Optional[int]
    ) -> pyarrow.Table: ...
    def explain(self, lead: str, as_of: Optional[int], text: bool) -> str: ...
    def check(self) -> list[Diagnostic]: ...
    def to_bytes(self) -> bytes: ...
    def time_in_rust(self, table: object, runs: int) -> tuple[float, float, float]: ...

def load(path: str, schema: Optional[str] = None) -> Program: ...
def compile(source: str, schema: str) -> Program: ...
def check(path: str, schema: Optional[str] = None) -> list[Diagnostic]: ...
def parse_instant(text: str) -> int: ...
def review(
    program: Program,
    history: bytes,
    format: str,
    outcome: str,
    won: list[str],
    lost: list[str],
    open: list[str],
    mapping: list[tuple[str, str]],
    id: Optional[str],
    at: Optional[int],
    at_column: Optional[str],
    cases: int,
    title: str,
) -> tuple[str, str]: ...
def fit(
    program: Program,
    history: bytes,
    format: str,
    outcome: str,
    won: list[str],
    lost: list[str],
    open: list[str],
    mapping: list[tuple[str, str]],
    at: Optional[int],
    at_column: Optional[str],
    folds: int,
    allow_flip: bool,
    seed: int,
    grow: int,
    into: Optional[str],
) -> tuple[str, Program]: ...
