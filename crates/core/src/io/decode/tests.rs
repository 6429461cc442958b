use super::*;

const TEXT: &str = "客户名称,金额\n上海华东化工有限公司,1234.5\n北京燕山石化,99\n";

#[test]
fn utf8_without_and_with_bom() {
    let d = decode(TEXT.as_bytes().to_vec(), None).expect("utf-8");
    assert_eq!((d.text.as_str(), d.encoding.as_str(), d.detection), (TEXT, "utf-8", Detection::Guess));
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(TEXT.as_bytes());
    let d = decode(bom, None).expect("utf-8 bom");
    assert_eq!((d.text.as_str(), d.encoding.as_str(), d.detection), (TEXT, "utf-8", Detection::Bom));
}

#[test]
fn gbk_is_guessed() {
    let (bytes, _, _) = encoding_rs::GBK.encode(TEXT);
    let d = decode(bytes.into_owned(), None).expect("gbk");
    assert_eq!(d.encoding, "gbk");
    assert_eq!(d.text, TEXT);
    assert!(!d.malformed);
}

#[test]
fn gbk_short_prefix_cut_inside_a_character() {
    // The trap of TOOLCHAIN.md: a prefix that ends inside a two-byte character. With
    // `last = false` chardetng still answers GBK.
    let (bytes, _, _) = encoding_rs::GBK.encode("名称,城市\n华东化工,上海\n");
    let mut cut = bytes.into_owned();
    cut.pop();
    let d = decode(cut, None).expect("gbk prefix");
    assert_eq!(d.encoding, "gbk");
    assert!(d.text.starts_with("名称,城市"));
}

#[test]
fn gb18030_four_byte_characters() {
    // 𠮷 (U+20BB7) and € are outside GBK's two-byte set: four-byte GB18030 sequences.
    let text = "客户名称,备注\n吉野家𠮷,a\n";
    let (bytes, _, _) = encoding_rs::GB18030.encode(text);
    let d = decode(bytes.into_owned(), None).expect("gb18030");
    assert_eq!(d.encoding, "gb18030");
    assert_eq!(d.text, text);
}

#[test]
fn utf16le_with_bom_as_excel_unicode_text() {
    let tsv = "客户名称\t金额\r\n华东化工\t12.5万\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for u in tsv.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let d = decode(bytes, None).expect("utf-16le");
    assert_eq!((d.text.as_str(), d.encoding.as_str()), (tsv, "utf-16le"));
}

#[test]
fn utf16be_with_bom() {
    let mut bytes = vec![0xFE, 0xFF];
    for u in "名称\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    let d = decode(bytes, None).expect("utf-16be");
    assert_eq!((d.text.as_str(), d.encoding.as_str()), ("名称\n", "utf-16be"));
}

#[test]
fn binary_files_are_refused() {
    assert_eq!(decode(b"PK\x03\x04\x14\x00rest".to_vec(), None), Err(DecodeError::Binary(BinaryKind::Zip)));
    assert_eq!(decode(vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0], None), Err(DecodeError::Binary(BinaryKind::Ole)));
    assert_eq!(decode(b"abc\x00def".to_vec(), None), Err(DecodeError::Binary(BinaryKind::Other)));
    assert_eq!(decode(b"%PDF-1.7".to_vec(), None), Err(DecodeError::Binary(BinaryKind::Pdf)));
    let msg = DecodeError::Binary(BinaryKind::Zip).message(Language::ZhCn);
    assert!(msg.contains(".xlsx"), "{msg}");
}

#[test]
fn user_override() {
    let (bytes, _, _) = encoding_rs::GBK.encode(TEXT);
    let d = decode(bytes.into_owned(), Some("GB18030")).expect("override");
    assert_eq!((d.encoding.as_str(), d.detection), ("gb18030", Detection::Override));
    assert_eq!(d.text, TEXT);
    // Reading UTF-8 as GBK gives mojibake, but no error: the user sees the preview.
    let d = decode(TEXT.as_bytes().to_vec(), Some("gbk")).expect("wrong override");
    assert_ne!(d.text, TEXT);
    assert_eq!(decode(vec![1], Some("klingon")), Err(DecodeError::UnknownEncoding("klingon".into())));
}

#[test]
fn truncated_utf8_file_is_still_utf8() {
    let mut bytes = TEXT.as_bytes().to_vec();
    bytes.extend_from_slice(&"上".as_bytes()[..2]);
    let d = decode(bytes, None).expect("truncated");
    assert_eq!(d.encoding, "utf-8");
    assert!(d.malformed);
    assert!(d.text.starts_with(TEXT));
}

#[test]
fn empty_input_is_empty_utf8() {
    let d = decode(Vec::new(), None).expect("empty");
    assert_eq!(d.text, "");
}
