module github.com/go-respond/respond

go 1.25
