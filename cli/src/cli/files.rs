//! Reading inputs within the size limit, and replacing files atomically.

use std::borrow::Cow;
use std::ffi::OsString;
use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use super::Fail;

/// One input.
pub(crate) enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    /// The name used in messages and reports.
    pub(crate) fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_owned(),
            Input::File(p) => p.display().to_string(),
        }
    }

    /// Read the whole input, refusing it when it is over `limit` bytes: a
    /// regular file by its size before reading, anything else by reading at
    /// most `limit + 1` bytes.
    pub(crate) fn read_all(&self, limit: usize) -> Result<Vec<u8>, Fail> {
        let name = self.name();
        let cap = (limit as u64).saturating_add(1);
        let mut buf = Vec::new();
        let res = match self {
            Input::Stdin => io::stdin().lock().take(cap).read_to_end(&mut buf),
            Input::File(path) => {
                let (file, meta) = open_file(path, &name)?;
                if meta.is_file() {
                    if meta.len() > limit as u64 {
                        return Err(too_large(&name, Some(meta.len()), limit));
                    }
                    buf.reserve_exact(meta.len() as usize + 1);
                }
                file.take(cap).read_to_end(&mut buf)
            }
        };
        res.map_err(|e| Fail::Io(format!("{name}: {e}")))?;
        if buf.len() > limit {
            return Err(too_large(&name, None, limit));
        }
        Ok(buf)
    }

    /// Open the input for streaming, with its size when known.
    pub(crate) fn open(&self) -> Result<(Box<dyn Read + Send>, Option<u64>), Fail> {
        match self {
            Input::Stdin => Ok((Box::new(io::stdin()), None)),
            Input::File(path) => {
                let (file, meta) = open_file(path, &self.name())?;
                Ok((Box::new(file), meta.is_file().then_some(meta.len())))
            }
        }
    }
}

fn too_large(name: &str, len: Option<u64>, limit: usize) -> Fail {
    match len {
        Some(len) => Fail::Data(format!(
            "{name}: input is {len} bytes, over the limit of {limit} bytes (see --max-input-bytes)"
        )),
        None => Fail::Data(format!(
            "{name}: input is over the limit of {limit} bytes (see --max-input-bytes)"
        )),
    }
}

/// The input as text: invalid UTF-8 is an error naming the byte offset,
/// or replaced with U+FFFD when `lossy`.
pub(crate) fn decode<'b>(name: &str, bytes: &'b [u8], lossy: bool) -> Result<Cow<'b, str>, Fail> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(_) if lossy => Ok(String::from_utf8_lossy(bytes)),
        Err(e) => Err(Fail::Data(format!(
            "{name}: invalid UTF-8 at byte offset {} (--lossy replaces it with U+FFFD)",
            e.valid_up_to()
        ))),
    }
}

/// A temporary file beside its target, renamed over it by
/// [`commit`](TempFile::commit) and removed if dropped before.
pub(crate) struct TempFile {
    tmp: PathBuf,
    target: PathBuf,
    shown: String,
    file: Option<BufWriter<File>>,
    permissions: Option<Permissions>,
}

impl TempFile {
    /// Create `.NAME.borax-tmp-PID` beside `target` (beside the file a
    /// symbolic link points to, so the link stays a link). `must_exist`:
    /// `target` is a file being rewritten in place.
    pub(crate) fn create(target: &Path, must_exist: bool) -> Result<TempFile, Fail> {
        let shown = target.display().to_string();
        let fail = |what: &str, e: io::Error| Fail::Io(format!("{shown}: {what}: {e}"));
        let is_link = fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink());
        let resolved = if is_link {
            fs::canonicalize(target).map_err(|e| fail("resolving the link", e))?
        } else {
            target.to_path_buf()
        };
        let permissions = match fs::metadata(&resolved) {
            Ok(m) if m.is_file() => Some(m.permissions()),
            Ok(_) => return Err(Fail::Io(format!("{shown}: not a regular file"))),
            Err(e) if must_exist || e.kind() != io::ErrorKind::NotFound => {
                return Err(fail("reading its metadata", e))
            }
            Err(_) => None,
        };
        let file_name = resolved
            .file_name()
            .ok_or_else(|| Fail::Io(format!("{shown}: not a file name")))?;
        let dir = match resolved.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut tmp_name = OsString::from(".");
        tmp_name.push(file_name);
        tmp_name.push(format!(".borax-tmp-{}", std::process::id()));
        let tmp = dir.join(tmp_name);
        let open = || OpenOptions::new().write(true).create_new(true).open(&tmp);
        let file = match open() {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                // Left over by an earlier run with our process id.
                let _ = fs::remove_file(&tmp);
                open()
            }
            other => other,
        }
        .map_err(|e| fail(&format!("creating {}", tmp.display()), e))?;
        Ok(TempFile {
            tmp,
            target: resolved,
            shown,
            file: Some(BufWriter::with_capacity(256 << 10, file)),
            permissions,
        })
    }

    /// The writer for the new contents.
    pub(crate) fn writer(&mut self) -> &mut BufWriter<File> {
        self.file.as_mut().expect("not committed")
    }

    /// A failure writing the temporary file.
    pub(crate) fn write_error(&self, e: io::Error) -> Fail {
        Fail::Io(format!(
            "{}: writing {}: {e}",
            self.shown,
            self.tmp.display()
        ))
    }

    pub(crate) fn write_all(&mut self, bytes: &[u8]) -> Result<(), Fail> {
        let res = self.writer().write_all(bytes);
        res.map_err(|e| self.write_error(e))
    }

    /// Flush, sync, and rename over the target.
    pub(crate) fn commit(mut self) -> Result<(), Fail> {
        let writer = self.file.take().expect("not committed");
        let file = writer.into_inner().map_err(|e| {
            let e = io::Error::new(e.error().kind(), e.error().to_string());
            self.write_error(e)
        })?;
        file.sync_all().map_err(|e| self.write_error(e))?;
        if let Some(p) = self.permissions.take() {
            file.set_permissions(p).map_err(|e| self.write_error(e))?;
        }
        drop(file);
        fs::rename(&self.tmp, &self.target).map_err(|e| {
            Fail::Io(format!(
                "{}: renaming {} over it: {e}",
                self.shown,
                self.tmp.display()
            ))
        })?;
        // Make the rename itself durable; not every file system can.
        if let Some(dir) = self.target.parent() {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        self.tmp = PathBuf::new();
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            self.file = None;
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Open an input file; a directory is an I/O error naming the input.
fn open_file(path: &std::path::Path, name: &str) -> Result<(File, std::fs::Metadata), Fail> {
    let file = File::open(path).map_err(|e| Fail::Io(format!("{name}: {e}")))?;
    let meta = file
        .metadata()
        .map_err(|e| Fail::Io(format!("{name}: {e}")))?;
    if meta.is_dir() {
        return Err(Fail::Io(format!("{name}: is a directory")));
    }
    Ok((file, meta))
}
