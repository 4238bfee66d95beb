fn main() {
    let text = std::fs::read_to_string("/work/shared/corpus/comments.ndjson").unwrap();
    let p = borax::Policy::comments();
    let mut n = 0;
    for l in text.lines() {
        let s: String = serde_json::from_str(l).unwrap();
        if let Some(why) = borax::__private::fast_path_bail(&p, &s) {
            n += 1;
            if n % 12 == 0 {
                println!("--- {why}: {}", &s[..s.len().min(700)]);
            }
        }
    }
}
