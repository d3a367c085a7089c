//! The telephony system's side of the call centre: asking Asterisk to dial (the Manager
//! Interface).

pub mod ami;
