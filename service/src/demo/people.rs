//! The demo's customers: names, emails and languages.

/// One demo customer.
pub struct Person {
    pub name: &'static str,
    pub email: &'static str,
    pub locale: &'static str,
}

/// Twenty-five customers; Giulia Rossi is the scenario's.
pub const PEOPLE: [Person; 25] = [
    Person {
        name: "Giulia Rossi",
        email: "giulia@example.com",
        locale: "it",
    },
    Person {
        name: "Marco Bianchi",
        email: "marco.bianchi@example.com",
        locale: "it",
    },
    Person {
        name: "Emma Thompson",
        email: "emma.thompson@example.com",
        locale: "en",
    },
    Person {
        name: "Liam O'Brien",
        email: "liam.obrien@example.com",
        locale: "en",
    },
    Person {
        name: "Sofia Esposito",
        email: "sofia.esposito@example.com",
        locale: "it",
    },
    Person {
        name: "Noah Williams",
        email: "noah.williams@example.com",
        locale: "en",
    },
    Person {
        name: "Chiara Romano",
        email: "chiara.romano@example.com",
        locale: "it",
    },
    Person {
        name: "Oliver Smith",
        email: "oliver.smith@example.com",
        locale: "en",
    },
    Person {
        name: "Francesca Colombo",
        email: "francesca.colombo@example.com",
        locale: "it",
    },
    Person {
        name: "Ava Johnson",
        email: "ava.johnson@example.com",
        locale: "en",
    },
    Person {
        name: "Luca Ricci",
        email: "luca.ricci@example.com",
        locale: "it",
    },
    Person {
        name: "Mia Brown",
        email: "mia.brown@example.com",
        locale: "en",
    },
    Person {
        name: "Alessandro Marino",
        email: "alessandro.marino@example.com",
        locale: "it",
    },
    Person {
        name: "Isabella Jones",
        email: "isabella.jones@example.com",
        locale: "en",
    },
    Person {
        name: "Martina Greco",
        email: "martina.greco@example.com",
        locale: "it",
    },
    Person {
        name: "Ethan Davis",
        email: "ethan.davis@example.com",
        locale: "en",
    },
    Person {
        name: "Davide Bruno",
        email: "davide.bruno@example.com",
        locale: "it",
    },
    Person {
        name: "Charlotte Miller",
        email: "charlotte.miller@example.com",
        locale: "en",
    },
    Person {
        name: "Sara Gallo",
        email: "sara.gallo@example.com",
        locale: "it",
    },
    Person {
        name: "James Wilson",
        email: "james.wilson@example.com",
        locale: "en",
    },
    Person {
        name: "Federico Conti",
        email: "federico.conti@example.com",
        locale: "it",
    },
    Person {
        name: "Amelia Moore",
        email: "amelia.moore@example.com",
        locale: "en",
    },
    Person {
        name: "Elena De Luca",
        email: "elena.deluca@example.com",
        locale: "it",
    },
    Person {
        name: "Henry Taylor",
        email: "henry.taylor@example.com",
        locale: "en",
    },
    Person {
        name: "Matteo Costa",
        email: "matteo.costa@example.com",
        locale: "it",
    },
];
