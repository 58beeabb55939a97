#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| djguide_fuzz::build_config(data));
