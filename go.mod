module github.com/go-respond/respond

go 1.25

require github.com/google/go-cmp v0.7.0
