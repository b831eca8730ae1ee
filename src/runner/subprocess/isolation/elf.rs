//! Finding an executable's ELF loader (its `PT_INTERP`), which the kernel runs along with it
//! and which must therefore be executable inside a box too.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

const PT_INTERP: u32 = 3;

/// The loader `program` asks for, or `None` for a static executable.
pub(crate) fn interpreter_of(program: &Path) -> io::Result<Option<PathBuf>> {
    let mut file = File::open(program)?;
    let mut header = [0u8; 64];
    file.read_exact(&mut header)?;
    if &header[..4] != b"\x7fELF" {
        return Err(io::Error::other("not an ELF file"));
    }
    let is_64 = header[4] == 2;
    let little = header[5] == 1;
    let u16_at = |bytes: &[u8], at: usize| {
        let pair = [bytes[at], bytes[at + 1]];
        if little {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    };
    let u32_at = |bytes: &[u8], at: usize| {
        let quad = [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]];
        if little {
            u32::from_le_bytes(quad)
        } else {
            u32::from_be_bytes(quad)
        }
    };
    let u64_at = |bytes: &[u8], at: usize| {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(&bytes[at..at + 8]);
        if little {
            u64::from_le_bytes(eight)
        } else {
            u64::from_be_bytes(eight)
        }
    };
    let (table, entry_size, count) = if is_64 {
        (
            u64_at(&header, 32),
            u16_at(&header, 54),
            u16_at(&header, 56),
        )
    } else {
        (
            u64::from(u32_at(&header, 28)),
            u16_at(&header, 42),
            u16_at(&header, 44),
        )
    };
    let mut entry = vec![0u8; usize::from(entry_size)];
    for index in 0..u64::from(count) {
        file.seek(SeekFrom::Start(table + index * u64::from(entry_size)))?;
        file.read_exact(&mut entry)?;
        if u32_at(&entry, 0) != PT_INTERP {
            continue;
        }
        let (offset, size) = if is_64 {
            (u64_at(&entry, 8), u64_at(&entry, 32))
        } else {
            (u64::from(u32_at(&entry, 4)), u64::from(u32_at(&entry, 16)))
        };
        if size > 4096 {
            return Err(io::Error::other("an implausibly long PT_INTERP"));
        }
        let mut path = vec![0u8; size as usize];
        file.seek(SeekFrom::Start(offset))?;
        file.read_exact(&mut path)?;
        let end = path.iter().position(|&b| b == 0).unwrap_or(path.len());
        path.truncate(end);
        use std::os::unix::ffi::OsStringExt;
        return Ok(Some(PathBuf::from(std::ffi::OsString::from_vec(path))));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_loader_of_a_dynamic_executable() {
        let loader = interpreter_of(Path::new("/bin/sh"))
            .unwrap()
            .expect("sh is dynamic");
        assert!(loader.is_absolute());
        assert!(
            loader.to_string_lossy().contains("ld"),
            "{}",
            loader.display()
        );
        assert!(loader.exists());
    }

    #[test]
    fn refuses_what_is_not_elf() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), vec![b'#'; 100]).unwrap();
        assert!(interpreter_of(file.path()).is_err());
    }
}
