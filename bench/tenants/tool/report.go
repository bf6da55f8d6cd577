package main

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

type sample struct {
	provider, kubectl, ratio float64
	peakKiB                  float64
}

type key struct {
	tenants int
	op      string
}

var operations = []string{"apply", "plan", "destroy"}

var baselineOf = map[string]string{
	"apply":   "`kubectl apply --server-side`",
	"plan":    "`kubectl get`",
	"destroy": "`kubectl delete`",
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func spread(v []float64, format string) string {
	if len(v) == 1 {
		return "(1 run)"
	}
	return fmt.Sprintf("("+format+" to "+format+")", slices.Min(v), slices.Max(v))
}

// report prints the per-size tables and the curve from run.sh's results file.
func report(path string) error {
	f, err := os.Open(path) //nolint:gosec // the bench's own results file
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	samples := map[key][]sample{}
	var sizes []int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 6 {
			continue
		}
		n, err := strconv.Atoi(fs[0])
		if err != nil {
			return fmt.Errorf("%s: %q: %w", path, sc.Text(), err)
		}
		var v [3]float64
		for i, s := range fs[3:] {
			if v[i], err = strconv.ParseFloat(s, 64); err != nil {
				return fmt.Errorf("%s: %q: %w", path, sc.Text(), err)
			}
		}
		if !slices.Contains(sizes, n) {
			sizes = append(sizes, n)
		}
		k := key{n, fs[2]}
		samples[k] = append(samples[k], sample{provider: v[0], kubectl: v[1], ratio: v[0] / v[1], peakKiB: v[2]})
	}
	if err := sc.Err(); err != nil {
		return err
	}
	slices.Sort(sizes)
	col := func(ss []sample, f func(sample) float64) []float64 {
		out := make([]float64, len(ss))
		for i, s := range ss {
			out[i] = f(s)
		}
		return out
	}
	fmt.Println("## Medians and spread (min to max over the runs)")
	fmt.Println()
	fmt.Println("| tenants | runs | operation | provider (s) | kubectl (s) | ratio | provider peak RSS (MB) |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, n := range sizes {
		for _, op := range operations {
			ss := samples[key{n, op}]
			if len(ss) == 0 {
				continue
			}
			p, b, r := col(ss, func(s sample) float64 { return s.provider }), col(ss, func(s sample) float64 { return s.kubectl }), col(ss, func(s sample) float64 { return s.ratio })
			m := col(ss, func(s sample) float64 { return s.peakKiB / 1024 })
			fmt.Printf("| %d | %d | %s vs %s | %.2f %s | %.2f %s | **%.2fx** %s | %.0f %s |\n", n, len(ss), op, baselineOf[op],
				median(p), spread(p, "%.2f"), median(b), spread(b, "%.2f"), median(r), spread(r, "%.2f"), median(m), spread(m, "%.0f"))
		}
	}
	fmt.Println()
	fmt.Println("## The curve: milliseconds per tenant (medians)")
	fmt.Println()
	fmt.Println("| tenants | apply: provider | apply: kubectl | plan: provider | get: kubectl | destroy: provider | delete: kubectl | provider peak RSS, max of all operations (MB) |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for _, n := range sizes {
		row := []string{strconv.Itoa(n)}
		peak := 0.0
		for _, op := range operations {
			ss := samples[key{n, op}]
			if len(ss) == 0 {
				row = append(row, "-", "-")
				continue
			}
			row = append(row,
				fmt.Sprintf("%.1f", 1000*median(col(ss, func(s sample) float64 { return s.provider }))/float64(n)),
				fmt.Sprintf("%.1f", 1000*median(col(ss, func(s sample) float64 { return s.kubectl }))/float64(n)))
			peak = max(peak, slices.Max(col(ss, func(s sample) float64 { return s.peakKiB / 1024 })))
		}
		row = append(row, fmt.Sprintf("%.0f", peak))
		fmt.Println("| " + strings.Join(row, " | ") + " |")
	}
	fmt.Println()
	fmt.Println("## Every run")
	fmt.Println()
	fmt.Println("| tenants | run | operation | provider (s) | kubectl (s) | ratio | provider peak RSS (MB) |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, n := range sizes {
		for _, op := range operations {
			for i, s := range samples[key{n, op}] {
				fmt.Printf("| %d | %d | %s | %.2f | %.2f | %.2f | %.0f |\n", n, i+1, op, s.provider, s.kubectl, s.ratio, s.peakKiB/1024)
			}
		}
	}
	return nil
}
