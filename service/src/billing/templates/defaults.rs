//! The default email texts, in English and Italian. An organization's own template for a
//! (kind, locale) replaces these. The Italian wording follows the product guide
//! ("Fattura creata", "Pagamento fallito", "Aggiorna metodo di pagamento", "Portale Clienti").

use super::EmailKind;
use domain::Locale;

/// The default (subject, body) of `kind` in `locale`.
pub fn default_template(kind: EmailKind, locale: Locale) -> (&'static str, &'static str) {
    match (locale, kind) {
        (Locale::En, EmailKind::InvoiceCreated) => (
            "Invoice {{ invoice_number }} from {{ company_name }}",
            "Hello {{ customer_name }},

your invoice {{ invoice_number }} for {{ amount_due }} has been created. We will charge it to your payment method on file.

You can see your invoices and manage your billing in the customer portal:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::En, EmailKind::PaymentFailed) => (
            "Payment failed for invoice {{ invoice_number }}",
            "Hello {{ customer_name }},

we could not collect {{ amount_due }} for invoice {{ invoice_number }}: {{ decline_reason }}.

Update your payment method:
{{ update_payment_method_link }}

As soon as you add a new card and make it your default, we retry the payment straight away. You can also manage your billing in the customer portal:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::En, EmailKind::PaymentSucceeded) => (
            "Receipt for invoice {{ invoice_number }}",
            "Hello {{ customer_name }},

thank you: we received your payment of {{ amount_due }} for invoice {{ invoice_number }}.

Your invoices and receipts are in the customer portal:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::En, EmailKind::MagicLink) => (
            "Your sign-in link for {{ company_name }}",
            "Hello {{ customer_name }},

use this link to sign in to the {{ company_name }} billing portal. It works once and expires in {{ link_expires_minutes }} minutes:
{{ magic_link_url }}

If you did not ask to sign in, you can ignore this email.

{{ company_name }}",
        ),
        (Locale::En, EmailKind::CardExpiring) => (
            "Your card ending in {{ card_last4 }} expires soon",
            "Hello {{ customer_name }},

your card ending in {{ card_last4 }} expires at the end of {{ card_expiry }}. To avoid an interruption of your subscription, update your payment method:
{{ update_payment_method_link }}

{{ company_name }}",
        ),
        (Locale::En, EmailKind::SubscriptionCanceled) => (
            "Your {{ company_name }} subscription has been canceled",
            "Hello {{ customer_name }},

your subscription has been canceled as of {{ period_end }}.

Your billing history stays available in the customer portal:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::En, EmailKind::SubscriptionPaused) => (
            "Your {{ company_name }} subscription will pause",
            "Hello {{ customer_name }},

your {{ plan_name }} subscription will pause on {{ pause_starts }}, at the end of the period you have paid for. Nothing is charged while it is paused. It resumes on {{ resume_date }}.

You can resume it earlier, or keep it running, in the customer portal:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::En, EmailKind::PlanChanged) => (
            "Your {{ company_name }} plan has changed",
            "Hello {{ customer_name }},

your subscription has moved from {{ previous_plan }} to {{ plan_name }}, starting today. Due now for the rest of the current period, until {{ period_end }} (the new price less what you had paid for those days): {{ amount_due }}.

You can see your invoices and manage your subscription in the customer portal:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::En, EmailKind::PlanChangeScheduled) => (
            "Your {{ company_name }} plan will change on {{ change_date }}",
            "Hello {{ customer_name }},

your subscription will move from {{ previous_plan }} to {{ plan_name }} on {{ change_date }}, at the end of the period you have paid for. Nothing changes until then.

You can undo the change before that day in the customer portal:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::En, EmailKind::SubscriptionUnpaused) => (
            "Your {{ company_name }} subscription has resumed",
            "Hello {{ customer_name }},

your {{ plan_name }} subscription is running again. Its new period ends on {{ period_end }}.

You can see your invoices and manage your billing in the customer portal:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::En, EmailKind::AddPaymentMethod) => (
            "Add a payment method for your {{ company_name }} subscription",
            "Hello {{ customer_name }},

your {{ plan_name }} subscription with {{ company_name }} is ready. Its first invoice
({{ amount_due }}) will be paid as soon as you add a payment method:
{{ update_payment_method_link }}

You can manage your billing at any time in the customer portal:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::En, EmailKind::StaffInvitation) => (
            "You are invited to {{ company_name }} on Dunwell",
            "Hello,

{{ invited_by }} invites you to join {{ company_name }}'s billing console as {{ role }}.
Open this link to choose your password and sign in (it works once, for {{ link_expires_days }} days):
{{ invitation_link }}

If you did not expect this email, you can ignore it.",
        ),
        (Locale::En, EmailKind::WebhookDisabled) => (
            "A webhook endpoint of {{ company_name }} was disabled",
            "Hello,

Every delivery to the webhook endpoint {{ endpoint_url }} has failed since {{ failing_since }} (UTC), so Dunwell has disabled it. Events keep being recorded; none is sent to it until it is enabled again.
Fix the receiver, then enable the endpoint and replay the failed deliveries here:
{{ webhooks_link }}",
        ),
        (Locale::It, EmailKind::InvoiceCreated) => (
            "Fattura creata: {{ invoice_number }} da {{ company_name }}",
            "Ciao {{ customer_name }},

è stata creata la fattura {{ invoice_number }} di {{ amount_due }}. L'importo verrà addebitato sul metodo di pagamento in archivio.

Puoi consultare le tue fatture e gestire la fatturazione nel Portale Clienti:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::It, EmailKind::PaymentFailed) => (
            "Pagamento fallito per la fattura {{ invoice_number }}",
            "Ciao {{ customer_name }},

non siamo riusciti ad addebitare {{ amount_due }} per la fattura {{ invoice_number }}: {{ decline_reason }}.

Aggiorna metodo di pagamento:
{{ update_payment_method_link }}

Appena aggiungi una nuova carta e la imposti come predefinita, ritentiamo subito il pagamento. Puoi gestire la fatturazione anche nel Portale Clienti:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::It, EmailKind::PaymentSucceeded) => (
            "Ricevuta per la fattura {{ invoice_number }}",
            "Ciao {{ customer_name }},

grazie: abbiamo ricevuto il tuo pagamento di {{ amount_due }} per la fattura {{ invoice_number }}.

Trovi fatture e ricevute nel Portale Clienti:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::It, EmailKind::MagicLink) => (
            "Il tuo link di accesso a {{ company_name }}",
            "Ciao {{ customer_name }},

usa questo link magico per accedere al Portale Clienti di {{ company_name }}. Funziona una sola volta e scade tra {{ link_expires_minutes }} minuti:
{{ magic_link_url }}

Se non hai richiesto tu l'accesso, puoi ignorare questa email.

{{ company_name }}",
        ),
        (Locale::It, EmailKind::CardExpiring) => (
            "La tua carta che termina con {{ card_last4 }} sta per scadere",
            "Ciao {{ customer_name }},

la tua carta che termina con {{ card_last4 }} scade alla fine di {{ card_expiry }}. Per evitare interruzioni del tuo abbonamento, aggiorna il metodo di pagamento:
{{ update_payment_method_link }}

{{ company_name }}",
        ),
        (Locale::It, EmailKind::SubscriptionCanceled) => (
            "Il tuo abbonamento a {{ company_name }} è stato annullato",
            "Ciao {{ customer_name }},

il tuo abbonamento è stato annullato con effetto dal {{ period_end }}.

La cronologia di fatturazione resta disponibile nel Portale Clienti:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::It, EmailKind::PlanChanged) => (
            "Il tuo piano {{ company_name }} è cambiato",
            "Ciao {{ customer_name }},

il tuo abbonamento è passato da {{ previous_plan }} a {{ plan_name }} a partire da oggi. Da pagare ora per il resto del periodo in corso, fino al {{ period_end }} (il nuovo prezzo meno quanto avevi già pagato per quei giorni): {{ amount_due }}.

Puoi vedere le tue fatture e gestire il tuo abbonamento nel Portale Clienti:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::It, EmailKind::PlanChangeScheduled) => (
            "Il tuo piano {{ company_name }} cambierà il {{ change_date }}",
            "Ciao {{ customer_name }},

il tuo abbonamento passerà da {{ previous_plan }} a {{ plan_name }} il {{ change_date }}, alla fine del periodo già pagato. Fino ad allora non cambia nulla.

Puoi annullare il cambio prima di quel giorno nel Portale Clienti:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::It, EmailKind::SubscriptionPaused) => (
            "Il tuo abbonamento a {{ company_name }} sarà sospeso",
            "Ciao {{ customer_name }},

il tuo abbonamento {{ plan_name }} sarà sospeso dal {{ pause_starts }}, alla fine del periodo già pagato. Durante la sospensione non ti verrà addebitato nulla. Riprenderà il {{ resume_date }}.

Puoi riprenderlo prima, o annullare la sospensione, nel Portale Clienti:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::It, EmailKind::SubscriptionUnpaused) => (
            "Il tuo abbonamento a {{ company_name }} è ripreso",
            "Ciao {{ customer_name }},

il tuo abbonamento {{ plan_name }} è di nuovo attivo. Il nuovo periodo termina il {{ period_end }}.

Puoi vedere le tue fatture e gestire la fatturazione nel Portale Clienti:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::It, EmailKind::AddPaymentMethod) => (
            "Aggiungi un metodo di pagamento per il tuo abbonamento a {{ company_name }}",
            "Ciao {{ customer_name }},

il tuo abbonamento {{ plan_name }} con {{ company_name }} è pronto. La prima fattura
({{ amount_due }}) sarà pagata non appena aggiungerai un metodo di pagamento:
{{ update_payment_method_link }}

Puoi gestire la fatturazione in qualsiasi momento nel Portale Clienti:
{{ customer_portal_link }}

{{ company_name }}",
        ),
        (Locale::It, EmailKind::StaffInvitation) => (
            "Sei invitato in {{ company_name }} su Dunwell",
            "Ciao,

{{ invited_by }} ti invita nella console di fatturazione di {{ company_name }} come {{ role }}.
Apri questo link per scegliere la tua password e accedere (funziona una volta, per {{ link_expires_days }} giorni):
{{ invitation_link }}

Se non ti aspettavi questa email, puoi ignorarla.",
        ),
        (Locale::It, EmailKind::WebhookDisabled) => (
            "Un endpoint webhook di {{ company_name }} è stato disattivato",
            "Ciao,

Ogni invio all'endpoint webhook {{ endpoint_url }} non riesce dal {{ failing_since }} (UTC), quindi Dunwell lo ha disattivato. Gli eventi continuano a essere registrati; nessuno gli viene inviato finché non viene riattivato.
Correggi il ricevitore, poi riattiva l'endpoint e reinvia le consegne non riuscite qui:
{{ webhooks_link }}",
        ),
    }
}

/// Why a charge failed, in words for the customer (the `decline_reason` variable).
/// `None` means there was no payment method to charge.
pub fn decline_reason(code: Option<domain::DeclineCode>, locale: Locale) -> &'static str {
    use domain::DeclineCode as D;
    match (locale, code) {
        (Locale::En, None) => "there is no payment method on file",
        (Locale::En, Some(D::CardDeclined)) => "your card was declined",
        (Locale::En, Some(D::InsufficientFunds)) => "the card has insufficient funds",
        (Locale::En, Some(D::ExpiredCard)) => "your card has expired",
        (Locale::En, Some(D::ProcessingError)) => "a processing error occurred",
        (Locale::En, Some(D::SepaDebitFailed)) => "the bank refused the SEPA direct debit",
        (Locale::En, Some(D::IncorrectNumber)) => "the card number is incorrect",
        (Locale::It, None) => "non c'è alcun metodo di pagamento in archivio",
        (Locale::It, Some(D::CardDeclined)) => "la carta è stata rifiutata",
        (Locale::It, Some(D::InsufficientFunds)) => "i fondi sulla carta non sono sufficienti",
        (Locale::It, Some(D::ExpiredCard)) => "la carta è scaduta",
        (Locale::It, Some(D::ProcessingError)) => "si è verificato un errore di elaborazione",
        (Locale::It, Some(D::SepaDebitFailed)) => "la banca ha rifiutato l'addebito diretto SEPA",
        (Locale::It, Some(D::IncorrectNumber)) => "il numero della carta non è corretto",
    }
}
