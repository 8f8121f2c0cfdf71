fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let p = zhengce::parse(&text);
    let mut c = std::collections::BTreeMap::<&str, usize>::new();
    let mut verbs = std::collections::BTreeMap::<String, usize>::new();
    fn walk<'a>(n: &'a zhengce::Node, f: &mut dyn FnMut(&'a zhengce::Node)) {
        f(n);
        for ch in &n.children {
            walk(ch, f);
        }
    }
    for n in &p.document.nodes {
        walk(n, &mut |n| {
            *c.entry("node").or_default() += 1;
            if n.marker.is_some() {
                *c.entry("marker").or_default() += 1;
            }
            if !n.segments.is_empty() {
                *c.entry("segments").or_default() += 1;
            }
            if !n.cells.is_empty() {
                *c.entry("cells").or_default() += 1;
            }
            if !n.children.is_empty() {
                *c.entry("childvec").or_default() += 1;
            }
            if !n.targets.is_empty() {
                *c.entry("targetvec").or_default() += 1;
            }
            if !n.responsibilities.is_empty() {
                *c.entry("respvec").or_default() += 1;
            }
            for t in &n.targets {
                *c.entry("target").or_default() += 1;
                if t.unit.is_some() {
                    *c.entry("t.unit").or_default() += 1;
                }
                if t.normalized.unit.is_some() {
                    *c.entry("t.nunit").or_default() += 1;
                }
                if t.verb.is_some() {
                    *c.entry("t.verb").or_default() += 1;
                    *verbs.entry(t.verb.clone().unwrap()).or_default() += 1;
                }
                if t.subject.is_some() {
                    *c.entry("t.subject").or_default() += 1;
                }
                match &t.kind {
                    zhengce::quantity::Kind::Currency { .. }
                    | zhengce::quantity::Kind::Count { .. } => {
                        *c.entry("t.payload").or_default() += 1;
                    }
                    _ => {}
                }
            }
            for r in &n.responsibilities {
                *c.entry("resp").or_default() += 1;
                if r.deadline.is_some() {
                    *c.entry("deadline").or_default() += 1;
                }
                for a in &r.agencies {
                    *c.entry("agency").or_default() += 1;
                    if a.alias.is_some() {
                        *c.entry("alias").or_default() += 1;
                    }
                }
            }
        });
    }
    println!("{c:?}");
    println!("distinct verbs {}", verbs.len());
}
