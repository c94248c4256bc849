//! Readers and writers of external files (claims CSV, bank statements, e-invoices, pain.008). Pure and tested on real fixtures.
