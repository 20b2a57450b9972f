//! Change points inside one series: costs, exact and approximate searches, penalties,
//! E-divisive, and a significance for every change point reported.
