fn main() {
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let s = clientscope_core::backup::Split::of(&text).unwrap();
        let d = s.decode();
        println!("split+decode {:?}", t.elapsed());
        drop(d);
    }
}
