//! Bytes of a text file → `String`.
//!
//! Order of decisions in [`decode`]:
//! 1. A user override (an encoding label such as `gbk`, `gb18030`, `utf-8`, `utf-16le`,
//!    `big5`; any WHATWG label that `encoding_rs` knows) wins, except that a BOM of the
//!    same family is still removed.
//! 2. A byte-order mark: `EF BB BF` UTF-8, `FF FE` UTF-16LE (what Excel writes for
//!    "Unicode text"), `FE FF` UTF-16BE.
//! 3. Binary content is refused with [`DecodeError::Binary`]: a zip signature (`PK\x03\x04`,
//!    an `.xlsx` renamed `.csv`), the OLE signature of `.xls`, a PDF, or NUL bytes in the
//!    first 8 KiB (text files in UTF-8 or GBK never contain NUL).
//! 4. Valid UTF-8 is UTF-8 (checked on the whole file; the common case costs no copy).
//! 5. Otherwise `chardetng` guesses from the first 64 KiB. The prefix is fed with
//!    `last = false`: chardetng 1.0 flips to windows-1252 when a prefix cut inside a
//!    two-byte GBK character is marked as the end. A GBK guess is reported as `gb18030`
//!    when the text contains four-byte GB18030 sequences (the decoder is the same).
//!
//! Bytes that do not decode become U+FFFD; [`Decoded::malformed`] says so, so the UI can
//! suggest another encoding.

#[cfg(test)]
mod tests;

use crate::model::Language;
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, GB18030, GBK, UTF_8};

/// How many leading bytes the guess and the binary check look at.
const SNIFF: usize = 64 * 1024;

/// How the encoding was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Detection {
    /// A byte-order mark.
    Bom,
    /// Valid UTF-8 or the chardetng guess.
    Guess,
    /// The user's choice.
    Override,
}

/// Decoded text with the encoding it was read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without BOM.
    pub text: String,
    /// Lower-case encoding name: `utf-8`, `utf-16le`, `utf-16be`, `gbk`, `gb18030`, or
    /// another WHATWG name (`big5`, `windows-1252`…).
    pub encoding: String,
    /// How the encoding was decided.
    pub detection: Detection,
    /// Whether some bytes did not decode and were replaced by U+FFFD.
    pub malformed: bool,
}

/// What kind of binary file was found where text was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryKind {
    /// A zip archive, usually an `.xlsx` workbook with the wrong extension.
    Zip,
    /// An OLE compound file, usually an old `.xls` workbook.
    Ole,
    /// A PDF document.
    Pdf,
    /// Anything else with NUL bytes.
    Other,
}

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The file is binary, not text.
    #[error("the file is not a text file ({0:?})")]
    Binary(BinaryKind),
    /// The override names no encoding.
    #[error("unknown encoding {0:?}")]
    UnknownEncoding(String),
}

impl DecodeError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            DecodeError::Binary(kind) => {
                let hint_zh = match kind {
                    BinaryKind::Zip => "它看起来是 Excel 工作簿（.xlsx），请按 .xlsx 文件导入",
                    BinaryKind::Ole => "它看起来是旧版 Excel 工作簿（.xls），请按 .xls 文件导入",
                    BinaryKind::Pdf => "它是 PDF 文档，无法导入",
                    BinaryKind::Other => "它包含二进制数据，请在 Excel 中另存为 CSV 后再导入",
                };
                let hint_en = match kind {
                    BinaryKind::Zip => "it looks like an Excel workbook (.xlsx); import it as .xlsx",
                    BinaryKind::Ole => "it looks like an old Excel workbook (.xls); import it as .xls",
                    BinaryKind::Pdf => "it is a PDF document and cannot be imported",
                    BinaryKind::Other => "it contains binary data; save it as CSV from Excel first",
                };
                if zh { format!("该文件不是文本文件：{hint_zh}。") } else { format!("The file is not a text file: {hint_en}.") }
            }
            DecodeError::UnknownEncoding(label) => {
                if zh { format!("未知的编码“{label}”。") } else { format!("Unknown encoding “{label}”.") }
            }
        }
    }
}

/// Recognises binary signatures and NUL bytes in the first 8 KiB.
pub fn binary_kind(bytes: &[u8]) -> Option<BinaryKind> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Some(BinaryKind::Zip);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some(BinaryKind::Ole);
    }
    if bytes.starts_with(b"%PDF-") {
        return Some(BinaryKind::Pdf);
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Some(BinaryKind::Other);
    }
    None
}

fn bom(bytes: &[u8]) -> Option<(&'static Encoding, usize)> {
    Encoding::for_bom(bytes)
}

/// A lower-case display name that tells GBK and GB18030 apart.
fn name_of(enc: &'static Encoding) -> String {
    enc.name().to_ascii_lowercase()
}

/// Whether GBK-guessed bytes contain four-byte GB18030 sequences (second byte 0x30..=0x39),
/// i.e. characters outside GBK such as rare names or emoji.
fn has_gb18030_four_byte(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
        } else if (0x81..=0xFE).contains(&b) && i + 1 < bytes.len() {
            if (0x30..=0x39).contains(&bytes[i + 1]) {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// Guesses the encoding of bytes that are not valid UTF-8 (see the module docs, step 5).
pub fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut det = EncodingDetector::new(Iso2022JpDetection::Deny);
    let prefix = &bytes[..bytes.len().min(SNIFF)];
    // `last = false` even for a short file: a prefix that ends inside a character must not
    // push chardetng to a single-byte encoding (see TOOLCHAIN.md).
    det.feed(prefix, prefix.len() == bytes.len() && std::str::from_utf8(prefix).is_ok());
    det.guess(None, Utf8Detection::Allow)
}

fn decode_with(bytes: Vec<u8>, enc: &'static Encoding, skip: usize, detection: Detection) -> Decoded {
    if enc == UTF_8 {
        let mut bytes = bytes;
        bytes.drain(..skip);
        return match String::from_utf8(bytes) {
            Ok(text) => Decoded { text, encoding: "utf-8".into(), detection, malformed: false },
            Err(e) => {
                let (text, _) = UTF_8.decode_without_bom_handling(e.as_bytes());
                Decoded { text: text.into_owned(), encoding: "utf-8".into(), detection, malformed: true }
            }
        };
    }
    let body = &bytes[skip.min(bytes.len())..];
    let (text, malformed) = enc.decode_without_bom_handling(body);
    let encoding = if enc == GBK || enc == GB18030 {
        if enc == GB18030 || has_gb18030_four_byte(body) { "gb18030".to_string() } else { "gbk".to_string() }
    } else {
        name_of(enc)
    };
    Decoded { text: text.into_owned(), encoding, detection, malformed }
}

/// Decodes the bytes of a text file (see the module docs). `forced` is an encoding label
/// chosen by the user, or `None` to detect.
///
/// Takes the bytes by value so that a UTF-8 file (the common case) becomes its `String`
/// without a copy: a 60 MB file then needs 60 MB, not 120 MB.
pub fn decode(bytes: Vec<u8>, forced: Option<&str>) -> Result<Decoded, DecodeError> {
    if let Some(label) = forced {
        let enc = Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| DecodeError::UnknownEncoding(label.to_string()))?;
        let skip = match bom(&bytes) {
            Some((b, len)) if b == enc => len,
            _ => 0,
        };
        let mut d = decode_with(bytes, enc, skip, Detection::Override);
        if enc == GBK {
            d.encoding = "gbk".into();
        } else if enc == GB18030 {
            d.encoding = "gb18030".into();
        }
        return Ok(d);
    }
    if let Some((enc, len)) = bom(&bytes) {
        return Ok(decode_with(bytes, enc, len, Detection::Bom));
    }
    if let Some(kind) = binary_kind(&bytes) {
        return Err(DecodeError::Binary(kind));
    }
    match std::str::from_utf8(&bytes) {
        Ok(_) => return Ok(decode_with(bytes, UTF_8, 0, Detection::Guess)),
        // Valid up to a sequence cut off by the end of the file: a truncated UTF-8 file.
        Err(e) if e.error_len().is_none() => return Ok(decode_with(bytes, UTF_8, 0, Detection::Guess)),
        Err(_) => {}
    }
    let enc = guess(&bytes);
    // chardetng answers GBK for GB18030 text; UTF-16 without BOM was refused above (NUL).
    Ok(decode_with(bytes, enc, 0, Detection::Guess))
}

/// Whether `label` names an encoding `encoding_rs` knows (for the UI's override list).
pub fn is_known_label(label: &str) -> bool {
    Encoding::for_label(label.trim().as_bytes()).is_some()
}

/// The encodings the UI offers for the override, as (label, Chinese name, English name).
pub const OVERRIDE_CHOICES: [(&str, &str, &str); 6] = [
    ("utf-8", "UTF-8", "UTF-8"),
    ("gbk", "GBK（简体中文 Excel 默认）", "GBK (Chinese Excel default)"),
    ("gb18030", "GB18030", "GB18030"),
    ("utf-16le", "UTF-16LE(Excel“Unicode 文本”）", "UTF-16LE (Excel “Unicode text”)"),
    ("utf-16be", "UTF-16BE", "UTF-16BE"),
    ("big5", "Big5（繁体中文）", "Big5 (Traditional Chinese)"),
];
