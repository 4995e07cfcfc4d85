//! The `score` command from start to end.
//!
//! In: [`ScoreArgs`]. Out: the scored file, the error file, a summary and
//! the exit code. Opens the files, reads the CSV header, then runs the
//! chunk pipeline with one writer that keeps input order, counts rows and
//! stops early under `--strict`.

use super::columns::{Columns, MISSING_HELP};
use super::output::RowFormat;
use super::pipeline::run_ordered;
use super::sink::Sink;
use super::worker::Job;
use super::{DataFormat, ScoreArgs, fail};
use crate::cli::{Exit, load, stdio};
use leadc::intake::chunk::{Framing, Splitter};
use std::fs::File;
use std::io::{self, Read};
use std::time::Instant;

/// Runs `leadc score`.
pub fn run(args: &ScoreArgs, color: bool) -> Exit {
    let loaded = match load::program(&args.program, color) {
        Ok(loaded) => loaded,
        Err(exit) => return exit,
    };
    let program = &loaded.program;
    if args.input_format() == DataFormat::Parquet {
        #[cfg(feature = "parquet")]
        return super::parquet::run(args, program, color);
        #[cfg(not(feature = "parquet"))]
        return fail("this leadc was built without Parquet (the `parquet` feature)", Exit::Usage, color);
    }
    #[cfg(not(feature = "parquet"))]
    if args.output_format() == DataFormat::Parquet {
        return fail("this leadc was built without Parquet (the `parquet` feature)", Exit::Usage, color);
    }
    let input = match open_input(args) {
        Ok(input) => input,
        Err(e) => return fail(&format!("cannot read `{}`: {e}", args.input_name()), Exit::Io, color),
    };
    let input_format = args.input_format();
    let framing = if input_format == DataFormat::Csv { Framing::Csv } else { Framing::Lines };
    let mut splitter = Splitter::new(input, framing);
    if let Err(message) = super::columns::check_map(program.schema(), &args.map) {
        return fail(&message, Exit::Usage, color);
    }
    let (columns, header) = match input_format {
        DataFormat::Csv => match super::columns::read_header(&mut splitter, &args.input_name()) {
            Ok(header) => {
                match Columns::new(program.schema(), &header, &args.keep, &args.map, "the header") {
                    Ok(columns) => (Some(columns), header),
                    Err(message) => return fail(&message, Exit::Usage, color),
                }
            }
            Err((message, exit)) => return fail(&message, exit, color),
        },
        DataFormat::Ndjson | DataFormat::Parquet => (None, Vec::new()),
    };
    if let Some(columns) = &columns
        && let Err(exit) = report_columns(columns, args, color)
    {
        return exit;
    }
    let output_format = args.output_format();
    let job = Job {
        program,
        input: input_format,
        columns,
        keep: args.keep.clone(),
        rows: RowFormat::new(output_format, args.explain, program, args.keep.clone()),
        error_file: args.errors.is_some(),
        explain: args.explain,
        as_of: args.as_of.unwrap_or_else(super::super::now),
    };
    let mut sink = match Sink::open(args, &job, &header) {
        Ok(sink) => sink,
        Err(e) => return fail(&e, Exit::Io, color),
    };
    #[cfg(feature = "parquet")]
    let mut parquet = match super::parquet::text_output(args, &job) {
        Ok(writer) => writer,
        Err((e, exit)) => return fail(&e, exit, color),
    };
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let started = Instant::now();
    let result = run_ordered(
        splitter,
        threads,
        || {
            let job = &job;
            let mut scratch = job.scratch();
            move |chunk| job.run(&mut scratch, chunk)
        },
        |scored| {
            #[cfg(feature = "parquet")]
            let scored = super::parquet::write_text_rows(parquet.as_mut(), scored, args.strict)?;
            sink.write(scored, args.strict)
        },
    );
    let finished = sink.finish();
    #[cfg(feature = "parquet")]
    let finished = finished.and_then(|()| parquet.map_or(Ok(()), super::parquet::close_output));
    if let Err(e) = result.and(finished) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            // `leadc score ... | head`: the reader stopped on purpose.
            return stdio::stdout_failed(&e, color);
        }
        return fail(&format!("scoring stopped: {e}"), Exit::Io, color);
    }
    if program.is_timed() && !args.quiet {
        let instant = leadc::time::format_instant(job.as_of);
        let _ =
            stdio::errln(format_args!("scored as of {instant} (rerun with --as-of {instant} to reproduce)"));
    }
    sink.summary(args, started.elapsed().as_secs_f64(), color)
}

fn open_input(args: &ScoreArgs) -> io::Result<Box<dyn Read + Send>> {
    Ok(match &args.input {
        Some(path) if path.as_os_str() != "-" => Box::new(File::open(path)?),
        _ => Box::new(io::stdin()),
    })
}

/// Notes the columns matched by a mapping or loosely, and warns about
/// fields and behaviours no column fills — even with `-q`, since every lead
/// then lacks them; under `--strict` that is an error (exit 2).
pub(super) fn report_columns(columns: &Columns, args: &ScoreArgs, color: bool) -> Result<(), Exit> {
    if !args.quiet {
        for note in columns.notes() {
            let _ = stdio::errln(format_args!("{note}"));
        }
    }
    let problems = columns.missing_problems(&args.input_name());
    if args.strict && !problems.is_empty() {
        for p in &problems {
            crate::cli::report::error(p, color);
        }
        let _ = stdio::errln(format_args!("{MISSING_HELP} (--strict stops here)"));
        return Err(Exit::Usage);
    }
    for p in &problems {
        let _ = stdio::errln(format_args!("warning: {p}"));
    }
    if !problems.is_empty() {
        let _ = stdio::errln(format_args!("{MISSING_HELP}"));
    }
    Ok(())
}
