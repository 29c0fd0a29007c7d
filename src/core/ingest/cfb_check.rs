//! A structural check of OLE compound files (`.xls` workbooks) before calamine reads them.
//!
//! calamine follows the file's sector chains without looking for loops and indexes its tables with
//! ids taken from the file, so a damaged `.xls` whose chain loops makes it allocate until the tab
//! dies, and one whose chain points past the end of the file makes it panic (both found by the
//! ingest fuzz target, `fuzz/`). This module walks every chain calamine will walk — the DIFAT, the
//! FAT, the directory, the mini stream and mini FAT, and the `Workbook` (or `Book`) stream — the
//! way calamine 0.38 reads them (`calamine/src/cfb.rs`), and refuses the file, saying what is wrong,
//! when a chain loops, leaves its table or points at a sector the file does not have.
//!
//! Files that do not start with the compound-file signature, or whose header calamine itself
//! rejects, pass unchecked: calamine answers those with its own error.

const SIGNATURE: &[u8; 8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const HEADER: usize = 512;
/// Ids at and above this are markers, not sectors.
const RESERVED: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const MINI_SECTOR: usize = 64;
/// Streams shorter than this live in the mini stream.
const MINI_CUTOFF: usize = 4096;
/// The streams calamine reads to open an `.xls`: `Workbook`, else `Book`.
const STREAMS: [&str; 2] = ["Workbook", "Book"];

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u32s(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

/// The sectors of the file after its header, as calamine numbers them.
struct Sectors<'a> {
    data: &'a [u8],
    size: usize,
    /// calamine's bound: ids above it are "beyond the end of file" errors, not reads.
    max_id: usize,
}

impl<'a> Sectors<'a> {
    /// The whole sector `id`, or why it cannot be read.
    fn full(&self, id: u32, what: &str) -> Result<&'a [u8], String> {
        // Ids come from the file: in the browser (32-bit) their offsets can overflow.
        let start = (id as usize).checked_mul(self.size);
        match start.and_then(|start| self.data.get(start..start.checked_add(self.size)?)) {
            Some(s) => Ok(s),
            None => Err(format!("its {what} points at sector {id}, past the end of the file")),
        }
    }

    /// Sector `id` as calamine reads it in a stream: whole, or what the file has of it.
    fn partial(&self, id: u32, what: &str) -> Result<&'a [u8], String> {
        let start = (id as usize).saturating_mul(self.size);
        if id as usize > self.max_id || start >= self.data.len() {
            return Err(format!("its {what} points at sector {id}, past the end of the file"));
        }
        Ok(&self.data[start..self.data.len().min(start + self.size)])
    }
}

/// Follows a chain from `start` through `table` until its end marker or until `len` bytes are
/// collected, as calamine does; `sector` gives each step's bytes. Returns the chain's bytes.
fn chain<'a>(
    start: u32,
    table: &[u32],
    len: usize,
    what: &str,
    mut sector: impl FnMut(u32) -> Result<&'a [u8], String>,
) -> Result<Vec<u8>, String> {
    let mut seen = vec![false; table.len()];
    let mut out = Vec::new();
    let mut id = start;
    while id != END_OF_CHAIN {
        let bytes = sector(id)?;
        let take = bytes.len().min(len - out.len());
        out.extend_from_slice(&bytes[..take]);
        if out.len() >= len {
            break;
        }
        let Some(next) = table.get(id as usize) else {
            return Err(format!("its {what} leaves the sector table at sector {id}"));
        };
        if std::mem::replace(&mut seen[id as usize], true) {
            return Err(format!("its {what} loops back to sector {id}"));
        }
        id = *next;
    }
    Ok(out)
}

/// A directory entry's name and where its stream starts and how long it is.
struct Entry {
    name: String,
    start: u32,
    len: u64,
}

/// Checks the compound file's chains; `Err` says what is damaged, in words for the user.
///
/// # Errors
/// A sentence naming the damage: a chain that loops, leaves its table or points past the end of
/// the file, or a stream longer than the file.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() < HEADER || &bytes[..8] != SIGNATURE {
        return Ok(());
    }
    let size = match u16::from_le_bytes([bytes[30], bytes[31]]) {
        9 => 512,
        12 => 4096,
        _ => return Ok(()),
    };
    if u16::from_le_bytes([bytes[32], bytes[33]]) != 6 || bytes.len() < size {
        return Ok(());
    }
    let sectors = Sectors { data: &bytes[size..], size, max_id: bytes.len() / size };
    let dir_start = u32_at(bytes, 48);
    let mini_fat_start = u32_at(bytes, 60);
    let mini_fat_len = u32_at(bytes, 64) as usize;
    let difat_start = u32_at(bytes, 68);

    // The DIFAT: 109 entries in the header, then a chain of DIFAT sectors whose last entry links on.
    let mut difat: Vec<u32> = u32s(&bytes[76..HEADER]).collect();
    let mut id = difat_start;
    let mut visited = 0usize;
    while id < RESERVED {
        visited += 1;
        if visited > sectors.max_id + 1 {
            return Err("its list of FAT sectors loops".into());
        }
        difat.extend(u32s(sectors.full(id, "list of FAT sectors")?));
        id = difat.pop().unwrap_or(END_OF_CHAIN);
    }
    let fat_sectors: Vec<u32> = difat.into_iter().filter(|&id| id < DIFSECT).collect();
    if fat_sectors.len() > sectors.max_id + 1 {
        return Err(format!("it lists {} FAT sectors in a file of {} sectors", fat_sectors.len(), sectors.max_id));
    }
    let mut fat = Vec::with_capacity(fat_sectors.len() * size / 4);
    for id in fat_sectors {
        fat.extend(u32s(sectors.full(id, "FAT")?));
    }

    let dirs = chain(dir_start, &fat, usize::MAX, "directory", |id| sectors.full(id, "directory"))?;
    let entries: Vec<Entry> = dirs
        .chunks_exact(128)
        .map(|e| {
            let (name, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(&e[..64]);
            let name = name.split('\0').next().unwrap_or_default().to_string();
            let len = if size == 512 {
                u64::from(u32_at(e, 120))
            } else {
                u64::from_le_bytes(e[120..128].try_into().unwrap_or_default())
            };
            Entry { name, start: u32_at(e, 116), len }
        })
        .collect();
    let Some(root) = entries.first() else { return Ok(()) };
    let file_len = bytes.len() as u64;
    // calamine converts lengths to usize (32 bits in the browser) and panics when they do not fit.
    if let Some(e) = entries
        .iter()
        .find(|e| e.len > file_len && STREAMS.iter().any(|s| s.eq_ignore_ascii_case(&e.name)) || e.len > u64::from(u32::MAX))
    {
        return Err(format!("its stream '{}' claims {} bytes, more than the file holds", e.name, e.len));
    }

    let (mini_fat, mini_stream) = if mini_fat_len > 0 {
        let stream = chain(root.start, &fat, root.len as usize, "mini stream", |id| sectors.partial(id, "mini stream"))?;
        let table =
            chain(mini_fat_start, &fat, mini_fat_len.saturating_mul(size), "mini FAT", |id| sectors.full(id, "mini FAT"))?;
        (u32s(&table).collect::<Vec<u32>>(), stream)
    } else {
        (Vec::new(), Vec::new())
    };

    // calamine opens `Workbook`, and `Book` when that fails.
    for name in STREAMS {
        let Some(entry) = entries.iter().find(|e| e.name.eq_ignore_ascii_case(name)) else { continue };
        let what = format!("stream '{}'", entry.name);
        let len = entry.len as usize;
        if len < MINI_CUTOFF {
            chain(entry.start, &mini_fat, len, &what, |id| {
                let start = (id as usize).saturating_mul(MINI_SECTOR);
                if start >= mini_stream.len() {
                    return Err(format!("its {what} points at mini sector {id}, past the end of the mini stream"));
                }
                Ok(&mini_stream[start..mini_stream.len().min(start + MINI_SECTOR)])
            })?;
        } else {
            chain(entry.start, &fat, len, &what, |id| sectors.partial(id, &what))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const XLS: &[u8] = include_bytes!("../../../tests/fixtures/orders.xls");

    fn header_u32(bytes: &mut [u8], at: usize, value: u32) {
        bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }

    /// The FAT of a copy of `XLS`, and where each entry sits in the file.
    fn fat_entry_offset(bytes: &[u8], id: u32) -> usize {
        let first_fat_sector = u32_at(bytes, 76) as usize;
        HEADER + first_fat_sector * 512 + id as usize * 4
    }

    #[test]
    fn a_sound_workbook_passes() {
        assert_eq!(check(XLS), Ok(()));
        assert_eq!(check(b"not a compound file at all"), Ok(()));
    }

    #[test]
    fn a_directory_chain_that_loops_is_refused() {
        let mut bytes = XLS.to_vec();
        let dir = u32_at(&bytes, 48);
        let at = fat_entry_offset(&bytes, dir);
        header_u32(&mut bytes, at, dir);
        let err = check(&bytes).unwrap_err();
        assert!(err.contains("directory loops back"), "{err}");
        // calamine itself would allocate without bound on these bytes.
    }

    #[test]
    fn a_chain_past_the_end_of_the_file_is_refused() {
        let mut bytes = XLS.to_vec();
        let beyond = (bytes.len() / 512 + 1) as u32;
        header_u32(&mut bytes, 48, beyond);
        let err = check(&bytes).unwrap_err();
        assert!(err.contains("past the end of the file"), "{err}");
    }

    #[test]
    fn a_chain_leaving_the_table_is_refused() {
        let mut bytes = XLS.to_vec();
        let dir = u32_at(&bytes, 48);
        let at = fat_entry_offset(&bytes, dir);
        header_u32(&mut bytes, at, 0x00FF_FFFF);
        let err = check(&bytes).unwrap_err();
        assert!(err.contains("past the end of the file") || err.contains("leaves the sector table"), "{err}");
    }

    #[test]
    fn truncated_workbooks_are_refused_or_passed_without_panicking() {
        for cut in (HEADER..XLS.len()).step_by(97) {
            let _ = check(&XLS[..cut]);
        }
    }
}
