use leptos::prelude::*;
use leptos_meta::Title;

/// A portal page's `<h1>`, which also names the page in the document title: the shell's
/// formatter makes it "{heading} · {company}", so each page has its own title (and a
/// screen reader hears it when the page changes in place, see `js/visit.js`).
#[component]
pub fn PageHeading(text: String) -> impl IntoView {
    view! {
        <Title text=text.clone() />
        <h1>{text}</h1>
    }
}
