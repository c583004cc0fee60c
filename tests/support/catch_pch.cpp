// Empty: this target only builds the precompiled catch.hpp that every test reuses.
