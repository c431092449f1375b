use crate::components::cancel_reason_label;
use crate::console::dto::ReasonMonthView;
use crate::i18n::{t, use_i18n};
use domain::CancelReason;
use leptos::prelude::*;

/// Why customers cancel: a table of reasons by month (the data, for everyone and every
/// screen reader), each reason's total drawn as a bar beside it.
#[component]
pub fn ReasonsChart(months: Vec<ReasonMonthView>) -> impl IntoView {
    let i18n = use_i18n();
    let totals: Vec<u32> = (0..CancelReason::ALL.len())
        .map(|i| months.iter().filter_map(|m| m.counts.get(i)).sum())
        .collect();
    let most = totals.iter().copied().max().unwrap_or(0);
    if most == 0 {
        return view! { <p class="empty">{t!(i18n, console.reasons_none)}</p> }.into_any();
    }
    let head = months
        .iter()
        .map(|m| {
            view! {
                <th scope="col" class="num">
                    {m.month.clone()}
                </th>
            }
        })
        .collect_view();
    let rows = CancelReason::ALL
        .iter()
        .enumerate()
        .map(|(i, reason)| {
            let cells = months
                .iter()
                .map(|m| {
                    let n = m.counts.get(i).copied().unwrap_or(0);
                    view! { <td class="num">{n.to_string()}</td> }
                })
                .collect_view();
            let total = totals[i];
            let width = format!("{:.0}%", f64::from(total) / f64::from(most) * 100.0);
            view! {
                <tr>
                    <th scope="row">{cancel_reason_label(*reason)}</th>
                    {cells}
                    <td class="num reason-total">
                        <span class="reason-track" aria-hidden="true">
                            <span class="reason-bar" style:width=width></span>
                        </span>
                        {total.to_string()}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="reasons-chart">
                <caption>{t!(i18n, console.reasons_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, console.reasons_reason)}</th>
                        {head}
                        <th scope="col" class="num">
                            {t!(i18n, console.reasons_total)}
                        </th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
