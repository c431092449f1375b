use crate::i18n::{t, use_i18n};
use leptos::html::Textarea;
use leptos::prelude::*;

/// The variables a template may use. Each is a button that inserts `{{ name }}` into the
/// body at the cursor (replacing a selection), keeps the focus in the body and moves the
/// cursor after it; the live preview follows the `body` signal. Without JavaScript the list
/// is plain text to copy. The first render is the same on the server and in the browser.
#[component]
pub fn TemplateVariables(
    variables: Vec<String>,
    can_change: bool,
    /// The body's text, as the editor holds it.
    body: RwSignal<String>,
    /// The body's textarea.
    target: NodeRef<Textarea>,
    /// Whether the body has had the focus (else the cursor is not the person's: append).
    placed: StoredValue<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let insert = move |token: &str| {
        let Some(el) = target.get_untracked() else {
            body.update(|b| b.push_str(token));
            return;
        };
        let value = el.value();
        let end_of_text = value.encode_utf16().count() as u32;
        let (start, end) = if placed.get_value() {
            (
                el.selection_start().ok().flatten().unwrap_or(end_of_text),
                el.selection_end().ok().flatten().unwrap_or(end_of_text),
            )
        } else {
            (end_of_text, end_of_text)
        };
        let (text, caret) = insert_at(&value, start, end, token);
        // The element first, so the signal's update finds the same value and leaves the
        // cursor where it is put here.
        el.set_value(&text);
        body.set(text);
        let _ = el.focus();
        let _ = el.set_selection_range(caret, caret);
        placed.set_value(true);
    };
    view! {
        <h3 id="vars-title">{t!(i18n, console.tpl_variables)}</h3>
        <p class="hint" id="vars-hint">
            {t!(i18n, console.tpl_variables_hint)}
        </p>
        <ul class="variables" aria-labelledby="vars-title" aria-describedby="vars-hint">
            {variables
                .into_iter()
                .map(|v| {
                    let token = format!("{{{{ {v} }}}}");
                    let insert_token = token.clone();
                    view! {
                        <li>
                            <button
                                type="button"
                                class="chip"
                                disabled=!can_change
                                on:click=move |_| insert(&insert_token)
                            >
                                {token}
                            </button>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// `text` with `token` in place of the UTF-16 range `start..end` (a textarea's selection,
/// clamped and put in order), and the cursor position after the token in UTF-16 units.
pub fn insert_at(text: &str, start: u32, end: u32, token: &str) -> (String, u32) {
    let (start, end) = (start.min(end), start.max(end));
    let (a, b) = (byte_index(text, start), byte_index(text, end));
    let out = format!("{}{token}{}", &text[..a], &text[b..]);
    let caret = text[..a].encode_utf16().count() + token.encode_utf16().count();
    (out, caret as u32)
}

/// The byte index of UTF-16 offset `units` in `text` (past the end: the end; inside a
/// surrogate pair: before the character).
fn byte_index(text: &str, units: u32) -> usize {
    let mut seen = 0u32;
    for (i, c) in text.char_indices() {
        let next = seen + c.len_utf16() as u32;
        if next > units {
            return i;
        }
        seen = next;
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::insert_at;

    #[test]
    fn inserts_at_the_cursor_or_over_the_selection() {
        let t = "{{ x }}";
        for (text, start, end, want, caret) in [
            ("", 0, 0, "{{ x }}", 7),
            ("Hello world", 5, 5, "Hello{{ x }} world", 12),
            ("Hello world", 6, 11, "Hello {{ x }}", 13),
            ("Hello world", 11, 6, "Hello {{ x }}", 13),
            ("Hello", 99, 99, "Hello{{ x }}", 12),
            // UTF-16 offsets: "é" is one unit, "😀" two.
            ("é😀a", 3, 3, "é😀{{ x }}a", 10),
            ("é😀a", 1, 3, "é{{ x }}a", 8),
            ("😀", 1, 1, "{{ x }}😀", 7),
        ] {
            assert_eq!(
                insert_at(text, start, end, t),
                (want.to_owned(), caret),
                "{text} {start}..{end}"
            );
        }
    }
}
