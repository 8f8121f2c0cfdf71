//! Where the output goes: standard output, or a file written through a
//! temporary file beside it and renamed into place only when complete.

use crate::{Failure, cannot, exit};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The buffered writer every format writes into: one dynamic call per
/// 64 KiB, not one per `write`.
pub type Out<'a> = io::BufWriter<Box<dyn Write + 'a>>;

fn buffered<'a>(w: impl Write + 'a) -> Out<'a> {
    io::BufWriter::with_capacity(1 << 16, Box::new(w))
}

/// Writes `body` to standard output. A reader that closes the pipe early
/// (`convert … | head -1`) is not a failure: `body` sees the error and
/// stops, and this returns `Ok`.
pub fn to_stdout(body: impl FnOnce(&mut Out) -> io::Result<()>) -> Result<(), Failure> {
    let stdout = io::stdout();
    let mut out = buffered(stdout.lock());
    match body(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::new(
            exit::CANNOT_WRITE,
            "<stdout>",
            cannot("write", &e),
        )),
    }
}

/// Writes `body` to `path` through a temporary file beside it, renamed
/// into place only when complete. A path that is not a regular file
/// (`/dev/null`, a named pipe, a terminal) is written directly: renaming
/// over it would replace the device.
pub fn to_file(path: &Path, body: impl FnOnce(&mut Out) -> io::Result<()>) -> Result<(), Failure> {
    let name = path.display().to_string();
    let fail = |e: io::Error| Failure::new(exit::CANNOT_WRITE, &name, cannot("write", &e));
    let target = match fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(Failure::new(
                exit::CANNOT_WRITE,
                &name,
                "cannot write: is a directory",
            ));
        }
        Ok(m) if !m.is_file() => {
            let file = File::options().write(true).open(path).map_err(fail)?;
            let mut out = buffered(file);
            return body(&mut out).and_then(|()| out.flush()).map_err(fail);
        }
        // Through a symbolic link to the file it names, which keeps its
        // permissions.
        Ok(m) => Some((fs::canonicalize(path).map_err(fail)?, m.permissions())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(fail(e)),
    };
    let (target, permissions) = match target {
        Some((t, p)) => (t, Some(p)),
        None => (path.to_path_buf(), None),
    };
    let temp = TempFile::beside(&target).map_err(fail)?;
    let mut out = buffered(&temp.file);
    body(&mut out).and_then(|()| out.flush()).map_err(fail)?;
    drop(out);
    if let Some(p) = permissions {
        temp.file.set_permissions(p).map_err(fail)?;
    }
    temp.file.sync_all().map_err(fail)?;
    temp.persist(&target).map_err(fail)
}

/// A file that is removed when dropped, unless persisted.
struct TempFile {
    file: File,
    path: PathBuf,
    keep: bool,
}

impl TempFile {
    /// Creates `.NAME.PID.N.tmp` in the directory of `target`.
    fn beside(target: &Path) -> io::Result<TempFile> {
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let stem = target
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy());
        let mut attempt = 0u32;
        loop {
            let path = dir.join(format!(".{stem}.{}.{attempt}.tmp", std::process::id()));
            match File::options().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    return Ok(TempFile {
                        file,
                        path,
                        keep: false,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn persist(mut self, target: &Path) -> io::Result<()> {
        fs::rename(&self.path, target)?;
        self.keep = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
    }
}
