module imagetrust-bench

go 1.19
