//! Several inputs: files and directories, parsed on all cores, written in
//! a fixed order with bounded memory.
//!
//! The inputs are listed first (paths only): each file as given, each
//! directory walked recursively in order of file name (so the whole list
//! is in path order), keeping the files that match `--glob` (`*.txt` by
//! default). A bounded window of them is then converted on a pool of
//! `--jobs` threads, each into a buffer of its own; the main thread writes
//! the buffers strictly in list order, and each buffer written lets one
//! more file start. However the threads finish, the output is the same,
//! and at most `window` converted files are held at once: memory grows
//! with the jobs and the largest file, not with the archive.

use crate::formats::{Render, Source};
use crate::{Failure, Style, diagnostics, exit, output, read_input};
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use walkdir::WalkDir;

/// One entry of the list: a file to convert, or a failure met while
/// listing (a directory that cannot be read), reported in its place.
pub enum Entry {
    File { path: PathBuf, name: String },
    Failed(Failure),
}

/// Which files of a directory are read: a pattern without `/` is matched
/// against the file name (`*.txt`), one with `/` against the path below
/// the directory given (`2023/**/*.txt`, where `*` stays within one
/// directory).
pub struct Filter {
    names: GlobSet,
    paths: GlobSet,
}

impl Filter {
    pub fn new(patterns: &[String]) -> Result<Filter, globset::Error> {
        let mut names = GlobSetBuilder::new();
        let mut paths = GlobSetBuilder::new();
        for p in patterns {
            if p.contains('/') {
                paths.add(GlobBuilder::new(p).literal_separator(true).build()?);
            } else {
                names.add(Glob::new(p)?);
            }
        }
        Ok(Filter {
            names: names.build()?,
            paths: paths.build()?,
        })
    }

    fn matches(&self, relative: &Path) -> bool {
        relative.file_name().is_some_and(|n| self.names.is_match(n))
            || self.paths.is_match(relative)
    }
}

/// The list of entries for `inputs`, in order: each input as given, a
/// directory's files in path order. A file reached twice (named twice, or
/// named and inside a directory given too, or a link to one listed) is
/// listed once, where it first comes, so that its records are not
/// written twice.
pub fn list(inputs: &[PathBuf], filter: &Filter) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // A file is known by its canonical path; one that has none (it is not
    // there) is listed, and reading it says what is wrong.
    let mut first =
        |path: &Path| std::fs::canonicalize(path).map_or(true, |canonical| seen.insert(canonical));
    for input in inputs {
        if crate::is_std(input) {
            out.push(Entry::File {
                path: input.clone(),
                name: "<stdin>".to_owned(),
            });
            continue;
        }
        if !std::fs::metadata(input).is_ok_and(|m| m.is_dir()) {
            // A file, or something that is not there: reading it says
            // which.
            if !first(input) {
                continue;
            }
            out.push(Entry::File {
                path: input.clone(),
                name: input.display().to_string(),
            });
            continue;
        }
        for entry in WalkDir::new(input).sort_by_file_name() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let at = e.path().unwrap_or(input).display().to_string();
                    let problem = match e.io_error() {
                        Some(io) => crate::cannot("read", io),
                        None => e.to_string(),
                    };
                    out.push(Entry::Failed(Failure::new(exit::CANNOT_READ, &at, problem)));
                    continue;
                }
            };
            let file = entry.file_type().is_file()
                || (entry.path_is_symlink()
                    && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()));
            let relative = entry.path().strip_prefix(input).unwrap_or(entry.path());
            if file && filter.matches(relative) && first(entry.path()) {
                out.push(Entry::File {
                    path: entry.path().to_path_buf(),
                    name: entry.path().display().to_string(),
                });
            }
        }
    }
    out
}

/// What converting one entry gave.
struct Done {
    /// Its part of the output, `None` when it has none (it failed, or
    /// the format leaves it out).
    output: Option<Vec<u8>>,
    /// What to print on stderr for it: diagnostics, or its failure.
    stderr: Vec<u8>,
    failed: bool,
}

/// Converts one entry into buffers.
fn convert(entry: &Entry, render: &Render, style: Style, styled: bool) -> Done {
    let failed = |f: &Failure| Done {
        output: None,
        stderr: format!("convert: {}\n", f.message).into_bytes(),
        failed: true,
    };
    let (path, name) = match entry {
        Entry::Failed(f) => return failed(f),
        Entry::File { path, name } => (path, name),
    };
    let decoded = match read_input(path, name).and_then(|bytes| crate::decode(bytes, name)) {
        Ok(d) => d,
        Err(f) => return failed(&f),
    };
    let mut parse = diagnostics::Parse::new(decoded, false);
    let items = render.items(&parse.parsed);
    let mut output = None;
    if !render.skips(&items) {
        let source = Source {
            name,
            encoding: parse.encoding,
            parsed: &parse.parsed,
        };
        let mut written = Vec::new();
        // Writing into a Vec fails only for a format's own reasons, never
        // for I/O; none is expected.
        let _ = render.body(&mut written, &source, &items);
        output = Some(written);
    }
    drop(items);
    // The model is freed before the text is read again for the
    // diagnostics' positions (see `diagnostics::Parse`).
    parse.parsed.document = zhengce::Document::default();
    let mut stderr = Vec::new();
    let _ = parse.render(&mut stderr, style, styled, name, path);
    Done {
        output,
        stderr,
        failed: false,
    }
}

/// The failure of an entry whose conversion panicked.
fn panicked(entry: &Entry) -> Done {
    let name = match entry {
        Entry::File { name, .. } => name.as_str(),
        Entry::Failed(_) => "<input>",
    };
    let f = Failure::new(exit::FAILED, name, "internal error: the parser panicked");
    Done {
        output: None,
        stderr: format!("convert: {}\n", f.message).into_bytes(),
        failed: true,
    }
}

/// How a run over several inputs ended.
pub struct Summary {
    pub inputs: usize,
    pub failed: usize,
}

/// Converts `entries` on `jobs` threads and writes them in order to `out`.
pub fn write(
    out: &mut output::Out,
    entries: &[Entry],
    render: &Render,
    style: Style,
    jobs: usize,
) -> io::Result<Summary> {
    let styled = io::stderr().is_terminal();
    let bar = progress(entries.len() as u64, styled);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("convert-{i}"))
        .build()
        .map_err(io::Error::other)?;
    // Converted files held at once, waiting for their turn or in work.
    let window = 2 * jobs.max(1);
    let mut summary = Summary {
        inputs: entries.len(),
        failed: 0,
    };
    render.prologue(out)?;
    let result = pool.in_place_scope(|scope| -> io::Result<()> {
        let (tx, rx) = mpsc::channel::<(usize, Done)>();
        let spawn = |i: usize| {
            let tx = tx.clone();
            let entry = &entries[i];
            scope.spawn(move |_| {
                // A panic in one file is that file's failure: the others
                // go on, and the writer is not left waiting for it.
                let done =
                    panic::catch_unwind(AssertUnwindSafe(|| convert(entry, render, style, styled)))
                        .unwrap_or_else(|_| panicked(entry));
                // The receiver is gone only when writing has failed.
                let _ = tx.send((i, done));
            });
        };
        let mut started = 0;
        while started < entries.len().min(window) {
            spawn(started);
            started += 1;
        }
        let mut waiting: BTreeMap<usize, Done> = BTreeMap::new();
        let mut written = 0;
        let mut texts = 0;
        while written < entries.len() {
            let (i, done) = rx.recv().map_err(io::Error::other)?;
            waiting.insert(i, done);
            while let Some(done) = waiting.remove(&written) {
                if !done.stderr.is_empty() {
                    bar.suspend(|| {
                        let mut err = io::stderr().lock();
                        let _ = err.write_all(&done.stderr).and_then(|()| err.flush());
                    });
                }
                if done.failed {
                    summary.failed += 1;
                    bar.set_message(format!(", {} failed", summary.failed));
                }
                if let Some(output) = done.output {
                    render.separator(out, texts)?;
                    out.write_all(&output)?;
                    texts += 1;
                }
                written += 1;
                bar.inc(1);
                if started < entries.len() {
                    spawn(started);
                    started += 1;
                }
            }
        }
        render.epilogue(out, texts)
    });
    bar.finish_and_clear();
    result.map(|()| summary)
}

/// A progress bar on stderr when it is a terminal, nothing otherwise.
fn progress(len: u64, terminal: bool) -> ProgressBar {
    if !terminal {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} [{wide_bar}] {pos}/{len} files{msg} (ETA {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
