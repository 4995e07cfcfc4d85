//! The batch evaluator: runs a program's plan over a [`Batch`], column by
//! column.
//!
//! In: a program (bytecode and plan), a batch of leads of its schema, an
//! as-of instant, and [`Outcomes`] to fill (their buffers reused). Out:
//! every lead's outcome, equal to what the row evaluator (`super::run`)
//! gives that lead.
//!
//! The batch is scored in tiles of [`TILE`] rows, so that a tile's
//! working state (test bits and category totals, one column each) stays
//! in the core's cache. Within a tile each table of the plan runs as one
//! loop over the rows: a decider reads its field's column once, and writes
//! its gift's word and points into their columns; the tests, fit rules on
//! two tests, must-haves, arms and behaviour rules run the same way. Then
//! the finish step settles every row of the tile (caps, points, score,
//! tier), or, for a program whose plan keeps code (timed rules, compound
//! conditions), the code runs row by row over a view of the row
//! ([`BatchRow`]), exactly as for a lead. Nothing is traced, and nothing
//! allocates once the scratch and the outcomes have grown to size.

use super::{Machine, Row, code, saturating_add};
use crate::compile::holds::{Fields, test};
use crate::lead::batch::{ColumnView, Columns, Offset, ValuesView, span, text_cell};
use crate::lead::cell::Cell;
use crate::plan::{DIGIT_SHIFT, Effect, FREE, Gift, Target};
use crate::schema::BehaviourId;
use crate::vm::outcome::{CategoryTotal, Outcome, Outcomes};

/// How many rows a tile holds.
pub(crate) const TILE: usize = 512;

/// The batch evaluator's working memory, reused from batch to batch.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    /// Word `w` of row `r`'s test bits: `bits[w × TILE + r]`.
    bits: Vec<u64>,
    /// Category `c`'s raw total of row `r`: `cats[c × TILE + r]`.
    cats: Vec<i64>,
    met: Vec<u32>,
    require_points: Vec<i64>,
    segment: Vec<u8>,
    sums: Vec<i64>,
    /// Per row, whether a test holds.
    holds: Vec<bool>,
    /// One outcome, for the rows the code scores.
    outcome: Outcome,
}

/// One row of a batch, as tests and the code read it.
pub(crate) struct BatchRow<'a, B> {
    batch: &'a B,
    row: usize,
}

impl<B> Clone for BatchRow<'_, B> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<B> Copy for BatchRow<'_, B> {}

impl<'a, B: Columns> Fields<'a> for BatchRow<'a, B> {
    #[inline(always)]
    fn cell(self, field: u32) -> Cell {
        self.batch.column(field).map_or(Cell::NONE, |c| c.cell(self.row))
    }

    #[inline(always)]
    fn text(self, field: u32) -> Option<&'a str> {
        self.batch.column(field)?.text(self.row)
    }
}

impl<'a, B: Columns> Row<'a> for BatchRow<'a, B> {
    #[inline(always)]
    fn events(self, behaviour: BehaviourId) -> &'a [i64] {
        self.batch.events(behaviour.0).map_or(&[], |e| e.row(self.row))
    }
}

/// Scores every lead of `batch` into `out` as of `as_of`. The caller has
/// checked that the batch is of the program's schema.
pub(crate) fn run(
    program: Machine<'_>,
    batch: &impl Columns,
    as_of: i64,
    out: &mut Outcomes,
    scratch: &mut Scratch,
) {
    let categories = program.code.categories.len();
    out.resize(batch.rows(), categories);
    let words = program.plan.words.max(1);
    scratch.bits.resize(words * TILE, 0);
    scratch.cats.resize(categories * TILE, 0);
    scratch.met.resize(TILE, 0);
    scratch.require_points.resize(TILE, 0);
    scratch.segment.resize(TILE, 0);
    scratch.sums.resize(TILE, 0);
    scratch.holds.resize(TILE, false);
    let mut start = 0;
    while start < batch.rows() {
        let n = TILE.min(batch.rows() - start);
        let tile = Tile { batch, start, n };
        tables(program, tile, scratch);
        match &program.plan.finish {
            Some(_) => settle(program, tile, out, scratch),
            None => rows(program, tile, as_of, out, scratch),
        }
        start += n;
    }
}

/// The rows `start..start + n` of a batch.
struct Tile<'a, B> {
    batch: &'a B,
    start: usize,
    n: usize,
}

impl<B> Clone for Tile<'_, B> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<B> Copy for Tile<'_, B> {}

impl<'a, B: Columns> Tile<'a, B> {
    /// Row `r` of the tile.
    #[inline(always)]
    fn row(self, r: usize) -> BatchRow<'a, B> {
        BatchRow { batch: self.batch, row: self.start + r }
    }

    /// Calls `f` with each row of the tile and its value's cell in field
    /// `field`'s column.
    #[inline(always)]
    fn cells(self, field: u32, mut f: impl FnMut(usize, Cell)) {
        match self.batch.column(field) {
            Some(column) => each_cell(column, self.start, self.n, &mut f),
            None => (0..self.n).for_each(|r| f(r, Cell::NONE)),
        }
    }
}

/// Calls `f` with each row `r` of `start..start + n` and the cell of
/// `column`'s row `start + r`: one loop per type of column, so that
/// finding a cell is a few instructions without a branch on the type.
#[inline(always)]
fn each_cell(column: ColumnView<'_>, start: usize, n: usize, f: &mut impl FnMut(usize, Cell)) {
    let present = |r: usize| column.present.get(start + r);
    let tagged = |r: usize, tag: u64, word: u64| {
        let on = present(r);
        Cell::new(std::hint::select_unpredictable(on, tag, Cell::MISSING), if on { word } else { 0 })
    };
    match column.values {
        ValuesView::Int(v) => {
            let Some(v) = v.get(start..start + n) else { return };
            v.iter().enumerate().for_each(|(r, &x)| f(r, tagged(r, Cell::INT, x as u64)));
        }
        ValuesView::Number(v) => {
            let Some(v) = v.get(start..start + n) else { return };
            v.iter().enumerate().for_each(|(r, &x)| f(r, tagged(r, Cell::NUMBER, x.to_bits())));
        }
        ValuesView::Enum(v) => {
            let Some(v) = v.get(start..start + n) else { return };
            v.iter().enumerate().for_each(|(r, &x)| f(r, tagged(r, Cell::ENUM, u64::from(x))));
        }
        ValuesView::Bool(v) => (0..n).for_each(|r| f(r, tagged(r, Cell::BOOL, u64::from(v.get(start + r))))),
        ValuesView::Text { offsets, bytes } => each_text(offsets, bytes.as_bytes(), start, n, present, f),
        ValuesView::LargeText { offsets, bytes } => {
            each_text(offsets, bytes.as_bytes(), start, n, present, f)
        }
    }
}

/// [`each_cell`] for a string column with offsets of type `O`.
#[inline(always)]
fn each_text<O: Offset>(
    offsets: &[O],
    bytes: &[u8],
    start: usize,
    n: usize,
    present: impl Fn(usize) -> bool,
    f: &mut impl FnMut(usize, Cell),
) {
    let mut from = span(offsets, start).0;
    let Some(ends) = offsets.get(start + 1..start + n + 1) else { return };
    for (r, &end) in ends.iter().enumerate() {
        let end = end.at().max(from);
        let cell = if present(r) { text_cell(bytes, from, end) } else { Cell::NONE };
        f(r, cell);
        from = end;
    }
}

/// Runs every table of the plan over the tile.
fn tables(program: Machine<'_>, tile: Tile<'_, impl Columns>, s: &mut Scratch) {
    let plan = program.plan;
    s.bits.fill(0);
    s.cats.fill(0);
    s.met.fill(0);
    s.require_points.fill(0);
    s.segment.fill(0);
    for d in &plan.deciders.ints {
        decide(tile, s, d.at, |cell| d.gifts[d.class(cell) % d.gifts.len()]);
    }
    for d in &plan.deciders.numbers {
        decide(tile, s, d.at, |cell| d.gifts[d.class(cell) % d.gifts.len()]);
    }
    for d in &plan.deciders.enums {
        decide(tile, s, d.at, |cell| plan.deciders.gifts.get(d.gift(cell)).copied().unwrap_or_default());
    }
    for d in &plan.deciders.bools {
        decide(tile, s, d.at, |cell| d.gifts[d.class(cell) % d.gifts.len()]);
    }
    for d in &plan.deciders.tags {
        decide(tile, s, d.at, |cell| d.gifts[d.class(cell) % d.gifts.len()]);
    }
    for c in &plan.classifiers {
        decide(tile, s, c.at, |cell| {
            let slot = plan.texts.slots.get(c.place(cell)).copied().unwrap_or(FREE);
            c.gift([slot], cell)
        });
    }
    for c in &plan.wide {
        decide(tile, s, c.at, |cell| {
            let bucket = plan.texts.buckets.get(c.place(cell)).copied().unwrap_or([FREE; 4]);
            c.gift(bucket, cell)
        });
    }
    for (t, fits) in
        plan.affixes.fits.iter().map(|t| (t, true)).chain(plan.affixes.bits.iter().map(|t| (t, false)))
    {
        let mut holds = std::mem::take(&mut s.holds);
        tile.cells(t.field, |r, cell| {
            holds[r] = super::tables::affix_of(program, cell, || tile.row(r).text(t.field), t);
        });
        match fits {
            true => give(tile, s, t.effect, |r| holds[r]),
            false => set_bit(tile, s, t.bit, |r| holds[r]),
        }
        s.holds = holds;
    }
    for t in &plan.others.fits {
        give(tile, s, t.effect, |r| test(program.code, tile.row(r), &t.test));
    }
    for t in &plan.others.bits {
        set_bit(tile, s, t.bit, |r| test(program.code, tile.row(r), &t.test));
    }
    pairs(program, tile, s);
    requires(program, tile, s);
    arms(program, tile, s);
    behaviours(program, tile, s);
}

/// A decider over its field's column: each row's class's gift, its mask
/// to the decider's word, its points to the decider's category.
#[inline(always)]
fn decide(tile: Tile<'_, impl Columns>, s: &mut Scratch, at: Target, gift: impl Fn(Cell) -> Gift) {
    let Some(word) = column_mut(&mut s.bits, at.word, tile.n) else { return };
    match column_mut(&mut s.cats, at.cat, tile.n) {
        Some(cat) => tile.cells(at.field, |r, cell| {
            let g = gift(cell);
            word[r] = g.mask;
            cat[r] = saturating_add(cat[r], g.points);
        }),
        None => tile.cells(at.field, |r, cell| word[r] = gift(cell).mask),
    }
}

/// Column `index` of a tile's state, its first `n` rows.
#[inline(always)]
fn column_mut<T>(state: &mut [T], index: u32, n: usize) -> Option<&mut [T]> {
    let start = (index as usize).checked_mul(TILE)?;
    state.get_mut(start..start + n)
}

/// A fit rule: its points to its category in the rows where `holds`.
#[inline(always)]
fn give(tile: Tile<'_, impl Columns>, s: &mut Scratch, effect: Effect, holds: impl Fn(usize) -> bool) {
    let Some(cat) = column_mut(&mut s.cats, effect.cat, tile.n) else { return };
    for (r, total) in cat.iter_mut().enumerate() {
        *total = saturating_add(*total, std::hint::select_unpredictable(holds(r), effect.points, 0));
    }
}

/// Test bit `bit`, set in the rows where `holds`.
#[inline(always)]
fn set_bit(tile: Tile<'_, impl Columns>, s: &mut Scratch, bit: u32, holds: impl Fn(usize) -> bool) {
    let Some(word) = column_mut(&mut s.bits, bit / 64, tile.n) else { return };
    for (r, w) in word.iter_mut().enumerate() {
        *w |= u64::from(holds(r)) << (bit % 64);
    }
}

/// Test bit `bit` of row `r`.
#[inline(always)]
fn bit(bits: &[u64], bit: u32, r: usize) -> bool {
    let at = (bit / 64) as usize * TILE + r;
    bits.get(at).is_some_and(|w| w >> (bit % 64) & 1 == 1)
}

/// Fit rules on `a and b` / `a or b` of two test bits.
fn pairs(program: Machine<'_>, tile: Tile<'_, impl Columns>, s: &mut Scratch) {
    for f in &program.plan.pairs {
        let bits = std::mem::take(&mut s.bits);
        give(tile, s, f.effect, |r| {
            let (a, b) = (bit(&bits, f.a, r), bit(&bits, f.b, r));
            (a & b) | (f.or & (a | b))
        });
        s.bits = bits;
    }
}

/// The must-haves: counted per row, their points summed.
fn requires(program: Machine<'_>, tile: Tile<'_, impl Columns>, s: &mut Scratch) {
    for step in &program.plan.requires {
        for r in 0..tile.n {
            let met = bit(&s.bits, step.bit, r);
            s.met[r] = s.met[r].saturating_add(u32::from(met));
            let points = std::hint::select_unpredictable(met, step.points, 0);
            s.require_points[r] = s.require_points[r].saturating_add(points);
        }
    }
}

/// The segment's digit per row: from the word of the decider the arms
/// are folded into, or the first arm whose bit is set.
fn arms(program: Machine<'_>, tile: Tile<'_, impl Columns>, s: &mut Scratch) {
    let plan = program.plan;
    if let Some(word) = plan.segment_word {
        if let Some(words) = column_mut(&mut s.bits, word, tile.n) {
            for (digit, w) in s.segment.iter_mut().zip(words.iter()) {
                *digit = (w >> DIGIT_SHIFT) as u8;
            }
        }
        return;
    }
    if plan.arms.is_empty() {
        return;
    }
    for r in 0..tile.n {
        let (mut found, mut segment) = (false, 0u8);
        for step in &plan.arms {
            let wins = bit(&s.bits, step.bit, r) & !found;
            segment = std::hint::select_unpredictable(wins, step.digit, segment);
            found |= wins;
        }
        s.segment[r] = segment;
    }
}

/// The behaviour rules, over their behaviours' count columns.
fn behaviours(program: Machine<'_>, tile: Tile<'_, impl Columns>, s: &mut Scratch) {
    let plan = program.plan;
    let counts = |behaviour: u32| tile.batch.counts(behaviour).get(tile.start..tile.start + tile.n);
    for step in &plan.once {
        let Some(counts) = counts(step.behaviour) else { continue };
        give(tile, s, step.effect, |r| counts[r] >= step.min);
    }
    let each = |s: &mut Scratch, step: &crate::plan::EachStep, gains: bool| {
        let Some(counts) = counts(step.behaviour) else { return };
        let Some(cat) = column_mut(&mut s.cats, step.effect.cat, tile.n) else { return };
        for (total, &c) in cat.iter_mut().zip(counts) {
            let all = step.effect.points.saturating_mul(i64::from(c));
            let limited = if gains { all.min(step.limit) } else { all.max(step.limit) };
            *total = saturating_add(*total, std::hint::select_unpredictable(c >= step.min, limited, 0));
        }
    };
    for step in &plan.gains {
        each(s, step, true);
    }
    for step in &plan.losses {
        each(s, step, false);
    }
}

/// The finish step over the tile: caps, totals, clamps, scores, and picks
/// each row's tier, into the outcome columns.
fn settle(program: Machine<'_>, tile: Tile<'_, impl Columns>, out: &mut Outcomes, s: &mut Scratch) {
    let Some(finish) = &program.plan.finish else { return };
    let (rows, start, n) = (out.rows, tile.start, tile.n);
    let sums = &mut s.sums[..n];
    sums.fill(0);
    for (c, category) in program.code.categories.iter().enumerate() {
        let Some(cat) = column_mut(&mut s.cats, c as u32, n) else { continue };
        let at = c * rows + start..c * rows + start + n;
        let (Some(raw), Some(capped)) = (out.raw.get_mut(at.clone()), out.capped.get_mut(at)) else {
            continue;
        };
        let max = category.max.unwrap_or(i64::MAX);
        for r in 0..n {
            raw[r] = cat[r];
            capped[r] = cat[r].min(max);
            sums[r] = sums[r].saturating_add(capped[r]);
        }
    }
    let requires = program.code.requires.len();
    let ceiling = finish.ceiling.max(0);
    for (r, sum) in sums.iter().enumerate() {
        let points = (*sum).clamp(0, ceiling);
        let qualified = s.met[r] as usize == requires;
        let score =
            (i64::from(s.segment[r]) * 1000).saturating_add(s.require_points[r]).saturating_add(points);
        let mut tier = Outcomes::NO_TIER;
        for step in finish.tiers.iter().rev() {
            let holds = (qualified | !step.qualified) & (step.lo <= points) & (points <= step.hi);
            tier = std::hint::select_unpredictable(holds, step.tier, tier);
        }
        let i = start + r;
        out.points[i] = points;
        out.qualified[i] = qualified;
        out.score[i] = score;
        out.requires_met[i] = s.met[r];
        out.segment[i] = s.segment[r];
        out.tier[i] = tier;
    }
}

/// The plan's code, row by row over the tile, from what the tables left.
fn rows(program: Machine<'_>, tile: Tile<'_, impl Columns>, as_of: i64, out: &mut Outcomes, s: &mut Scratch) {
    let categories = program.code.categories.len();
    let o = &mut s.outcome;
    for r in 0..tile.n {
        o.score = 0;
        o.points = 0;
        o.qualified = program.code.requires.is_empty();
        o.requires_met = s.met[r];
        o.segment = s.segment[r];
        o.tier = None;
        o.categories.clear();
        o.categories.extend(
            (0..categories)
                .map(|c| CategoryTotal { raw: s.cats.get(c * TILE + r).copied().unwrap_or(0), capped: 0 }),
        );
        code(program, tile.row(r), as_of, o, &mut super::NoTrace, s.require_points[r]);
        write(out, tile.start + r, o);
    }
}

/// Writes `o` as row `i` of the outcome columns.
fn write(out: &mut Outcomes, i: usize, o: &Outcome) {
    out.score[i] = o.score;
    out.points[i] = o.points;
    out.qualified[i] = o.qualified;
    out.requires_met[i] = o.requires_met;
    out.segment[i] = o.segment;
    out.tier[i] = o.tier.map_or(Outcomes::NO_TIER, |t| t as u32);
    let rows = out.rows;
    for (c, total) in o.categories.iter().enumerate() {
        if let (Some(raw), Some(capped)) = (out.raw.get_mut(c * rows + i), out.capped.get_mut(c * rows + i)) {
            *raw = total.raw;
            *capped = total.capped;
        }
    }
}
