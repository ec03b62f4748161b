//! TeX escaping for the `.bib` writers, and TeX-to-Unicode decoding for the reader.
