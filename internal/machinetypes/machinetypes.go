// Package machinetypes knows Compute Engine's machine types: which machine type of a family has
// a given shape (vCPUs and memory), what shape a machine type name has, and, when no machine
// fits, the nearest shapes that do. The node pool resource and the sandbox's GKE emulator
// share it, so both agree on what exists.
//
// Units: Compute Engine's "GB" of machine memory are GiB and its "MB" are MiB; a machine type's
// memory in MB is its memory in GB times 1024. memory_gb follows the same convention.
package machinetypes

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// MachineFamily is a Compute Engine machine series whose machines a node pool uses, such as n2.
type MachineFamily string

// The supported machine families.
const (
	// FamilyE2 is the cost-optimized E2 series: predefined and custom types up to 32 vCPUs.
	FamilyE2 MachineFamily = "e2"
	// FamilyN2 is the Intel N2 series: predefined types up to 128 vCPUs, custom up to 80.
	FamilyN2 MachineFamily = "n2"
	// FamilyN2D is the AMD N2D series: predefined types up to 224 vCPUs, custom up to 96.
	FamilyN2D MachineFamily = "n2d"
	// FamilyC3 is the Intel C3 series: predefined types only.
	FamilyC3 MachineFamily = "c3"

	// DefaultFamily is the family used when machine_family is not set.
	DefaultFamily = FamilyN2
)

// families lists the supported families in the order messages and validators show them.
var families = []MachineFamily{FamilyE2, FamilyN2, FamilyN2D, FamilyC3}

// Families returns the names of the supported machine families (e2, n2, n2d, c3), for the
// machine_family validator.
func Families() []string {
	names := make([]string, len(families))
	for i, f := range families {
		names[i] = string(f)
	}
	return names
}

// The schema attributes a shape error can name.
const (
	attrCPU           = "cpu"
	attrMemoryGB      = "memory_gb"
	attrMachineFamily = "machine_family"
)

// maxSuggestions bounds ShapeError.Nearest.
const maxSuggestions = 3

// predefinedType is one predefined machine type and its real shape.
type predefinedType struct {
	name   string
	family MachineFamily
	cpu    int
	memMB  int
}

// n2Sizes, n2dSizes and c3Sizes are vCPU counts shared by several classes of a family.
var (
	n2Sizes  = []int{2, 4, 8, 16, 32, 48, 64, 80, 96, 128}
	n2dSizes = []int{2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224}
	c3Sizes  = []int{4, 8, 22, 44, 88, 176}
)

// predefinedSeries is Compute Engine's list of predefined standard, highmem and highcpu machine
// types of the supported families: the vCPU counts each class offers and its memory per vCPU, with
// memGB giving the real memory of the sizes that depart from the class's ratio.
//
// Facts as published by Compute Engine (general-purpose machine family docs), to the best of our
// knowledge:
//   - e2-highmem stops at 16 vCPUs; e2 has no predefined type above 32 vCPUs / 128 GB.
//   - n2-highcpu stops at 96 (there is no n2-highcpu-128).
//   - n2-highmem-128 has 864 GB, not 8 x 128 = 1024 GB.
//   - n2d-highmem stops at 96 (768 GB); n2d-standard-224 has 896 GB, n2d-highcpu-224 224 GB.
//   - c3-highcpu has 2 GB per vCPU, not 1, so a 1 GB-per-vCPU request has no c3 match.
//
// Not listed, on purpose: the -lssd and -metal c3 variants and c3-highcpu/standard/highmem-192
// metal shapes (uncertain availability, not for GKE node pools here), and the e2 shared-core types
// (e2-micro, e2-small, e2-medium), which Shape knows but MachineTypeFor never picks.
var predefinedSeries = []struct {
	family   MachineFamily
	class    string
	gbPerCPU int
	cpus     []int
	memGB    map[int]int
}{
	{FamilyE2, "highcpu", 1, []int{2, 4, 8, 16, 32}, nil},
	{FamilyE2, "standard", 4, []int{2, 4, 8, 16, 32}, nil},
	{FamilyE2, "highmem", 8, []int{2, 4, 8, 16}, nil},
	{FamilyN2, "highcpu", 1, []int{2, 4, 8, 16, 32, 48, 64, 80, 96}, nil},
	{FamilyN2, "standard", 4, n2Sizes, nil},
	{FamilyN2, "highmem", 8, n2Sizes, map[int]int{128: 864}},
	{FamilyN2D, "highcpu", 1, n2dSizes, nil},
	{FamilyN2D, "standard", 4, n2dSizes, nil},
	{FamilyN2D, "highmem", 8, []int{2, 4, 8, 16, 32, 48, 64, 80, 96}, nil},
	{FamilyC3, "highcpu", 2, c3Sizes, nil},
	{FamilyC3, "standard", 4, c3Sizes, nil},
	{FamilyC3, "highmem", 8, c3Sizes, nil},
}

// predefinedTypes is the table of every predefined machine type in predefinedSeries with its
// vCPUs and memory; predefinedByName and predefinedByFamily index it.
var (
	predefinedTypes    = buildPredefined()
	predefinedByName   = make(map[string]predefinedType, len(predefinedTypes))
	predefinedByFamily = make(map[MachineFamily][]predefinedType, len(families))
)

func buildPredefined() []predefinedType {
	var table []predefinedType
	for _, s := range predefinedSeries {
		for _, cpu := range s.cpus {
			memGB := cpu * s.gbPerCPU
			if gb, ok := s.memGB[cpu]; ok {
				memGB = gb
			}
			table = append(table, predefinedType{
				name:   fmt.Sprintf("%s-%s-%d", s.family, s.class, cpu),
				family: s.family,
				cpu:    cpu,
				memMB:  memGB * 1024,
			})
		}
	}
	return table
}

// sharedCore lists the E2 shared-core machine types, with the 2 vCPUs their VMs (and Kubernetes)
// see, though they are entitled to only a fraction of them.
var sharedCore = map[string]struct{ cpu, memMB int }{
	"e2-micro":  {2, 1024},
	"e2-small":  {2, 2048},
	"e2-medium": {2, 4096},
}

// customSpec is a family's custom machine type limits, without extended memory (out of scope).
type customSpec struct {
	minCPU, maxCPU int
	// cpuStep returns why a vCPU count between minCPU and maxCPU is not allowed, or "".
	cpuStep func(cpu int64) string
	// minMBPerCPU and maxMBPerCPU bound memory per vCPU; maxMB bounds the total.
	minMBPerCPU, maxMBPerCPU, maxMB int
}

// customSpecs holds Compute Engine's custom machine type limits of the families that have them;
// c3 has no custom machine types. Memory must also be a multiple of 256 MB (multipleOf256).
//
//   - e2: 2 to 32 vCPUs, even; 0.5 to 8 GB per vCPU; at most 128 GB.
//   - n2: 2 to 80 vCPUs, even up to 32 and a multiple of 4 above; 0.5 to 8 GB per vCPU; at most
//     640 GB. Uncertain: older docs stop N2 custom at 80 vCPUs (which we keep, as the issue does);
//     Google's newer custom-machine-type samples allow 36 to 128 in steps of 4. Raising maxCPU to
//     128 (and maxMB to 1024 GB) would follow them.
//   - n2d: 2, 4, 8 or 16 vCPUs, then multiples of 16 up to 96; 0.5 to 8 GB per vCPU; at most
//     768 GB.
var customSpecs = map[MachineFamily]customSpec{
	FamilyE2: {
		minCPU: 2, maxCPU: 32,
		cpuStep:     func(cpu int64) string { return evenCPU(FamilyE2, cpu) },
		minMBPerCPU: 512, maxMBPerCPU: 8192, maxMB: 128 * 1024,
	},
	FamilyN2: {
		minCPU: 2, maxCPU: 80,
		cpuStep: func(cpu int64) string {
			if r := evenCPU(FamilyN2, cpu); r != "" {
				return r
			}
			if cpu > 32 && cpu%4 != 0 {
				return "n2 custom shapes above 32 vCPUs need a multiple of 4 vCPUs"
			}
			return ""
		},
		minMBPerCPU: 512, maxMBPerCPU: 8192, maxMB: 640 * 1024,
	},
	FamilyN2D: {
		minCPU: 2, maxCPU: 96,
		cpuStep: func(cpu int64) string {
			if cpu == 2 || cpu == 4 || cpu == 8 || cpu%16 == 0 {
				return ""
			}
			return "n2d custom shapes have 2, 4, 8 or 16 vCPUs or a multiple of 16"
		},
		minMBPerCPU: 512, maxMBPerCPU: 8192, maxMB: 768 * 1024,
	},
}

func evenCPU(f MachineFamily, cpu int64) string {
	if cpu%2 != 0 {
		return fmt.Sprintf("%s custom shapes need an even vCPU count", f)
	}
	return ""
}

// validCPUs lists, per family, every vCPU count some machine of the family has, ascending.
var validCPUs = make(map[MachineFamily][]int, len(families))

func init() {
	for _, p := range predefinedTypes {
		predefinedByName[p.name] = p
		predefinedByFamily[p.family] = append(predefinedByFamily[p.family], p)
	}
	for _, f := range families {
		var cpus []int
		for _, p := range predefinedByFamily[f] {
			cpus = append(cpus, p.cpu)
		}
		if spec, ok := customSpecs[f]; ok {
			for c := spec.minCPU; c <= spec.maxCPU; c++ {
				if spec.cpuStep(int64(c)) == "" {
					cpus = append(cpus, c)
				}
			}
		}
		slices.Sort(cpus)
		validCPUs[f] = slices.Compact(cpus)
	}
}

// MachineTypeFor returns the Compute Engine machine type of family with cpu vCPUs and memoryGB GB
// of memory per node. family is one of Families(); "" means DefaultFamily (n2).
//
// It returns the family's predefined type with exactly that shape when there is one: highcpu for
// 1 GB per vCPU (2 GB on c3), standard for 4 GB, highmem for 8 GB, as long as the family offers
// that many vCPUs in the class and the type's real memory matches (n2-highmem-128 has 864 GB, so
// 128 vCPUs and 1024 GB is not it). Otherwise it returns the custom type
// "<family>-custom-<CPU>-<MEMMB>" when the family's custom limits allow the shape. Otherwise it
// returns a *ShapeError naming the rule broken and the nearest valid shapes.
//
// It returns a plain error naming the attribute for cpu <= 0, memory_gb <= 0 (or not finite) and
// an unsupported family.
func MachineTypeFor(cpu int64, memoryGB float64, family string) (string, error) {
	f, err := parseFamily(family)
	if err != nil {
		return "", err
	}
	if cpu <= 0 {
		return "", fmt.Errorf("%s must be a positive number of vCPUs, got %d", attrCPU, cpu)
	}
	if !(memoryGB > 0) || math.IsInf(memoryGB, 0) {
		return "", fmt.Errorf("%s must be a positive number of GB, got %v", attrMemoryGB, memoryGB)
	}
	memMB := memoryGB * 1024
	machineType, reason := f.machineType(cpu, memMB)
	if reason == "" {
		return machineType, nil
	}
	return "", &ShapeError{
		Family:     f,
		CPU:        cpu,
		MemoryGB:   memoryGB,
		Reason:     reason,
		Attributes: f.faultyAttributes(cpu, memMB),
		Nearest:    f.nearest(cpu, memMB),
	}
}

func parseFamily(family string) (MachineFamily, error) {
	if family == "" {
		return DefaultFamily, nil
	}
	if f := MachineFamily(family); slices.Contains(families, f) {
		return f, nil
	}
	return "", fmt.Errorf("%s %q is not supported; supported families: %s",
		attrMachineFamily, family, strings.Join(Families(), ", "))
}

// Shape returns the vCPUs and memory in MB of a machine type: the predefined standard, highmem
// and highcpu types of e2, n2, n2d and c3, the E2 shared-core types (e2-micro, e2-small and
// e2-medium, as 2 vCPUs), and custom types "<family>-custom-<CPU>-<MEMMB>" of e2, n2 and n2d
// within the family's custom limits. ok is false for anything else, including custom shapes
// Compute Engine would reject and extended-memory ("-ext") custom types.
func Shape(machineType string) (cpu int, memoryMB int, ok bool) {
	if p, found := predefinedByName[machineType]; found {
		return p.cpu, p.memMB, true
	}
	if s, found := sharedCore[machineType]; found {
		return s.cpu, s.memMB, true
	}
	family, spec, found := strings.Cut(machineType, "-custom-")
	if !found {
		return 0, 0, false
	}
	cpuStr, memStr, found := strings.Cut(spec, "-")
	if !found {
		return 0, 0, false
	}
	c, okC := parseCount(cpuStr)
	m, okM := parseCount(memStr)
	if !okC || !okM {
		return 0, 0, false
	}
	if _, reason := MachineFamily(family).customType(int64(c), float64(m)); reason != "" {
		return 0, 0, false
	}
	return c, m, true
}

// SharedCore reports whether machineType is one of the E2 shared-core types (e2-micro, e2-small,
// e2-medium), whose VMs see 2 vCPUs but are entitled to only a fraction of them; GKE reserves
// more of their CPU for the system than a dedicated-core machine's.
func SharedCore(machineType string) bool {
	_, ok := sharedCore[machineType]
	return ok
}

// parseCount parses a positive decimal integer written canonically (no sign, no leading zeros).
func parseCount(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || strconv.Itoa(n) != s {
		return 0, false
	}
	return n, true
}

// ShapeError is returned when no machine of the family fits; its message names the attribute(s)
// and the nearest valid shapes, e.g.
//
//	no n2 machine has 3 vCPUs and 5 GB: n2 custom shapes need an even vCPU count; nearest valid
//	shapes: cpu = 2, memory_gb = 5 (n2-custom-2-5120); cpu = 4, memory_gb = 5 (n2-custom-4-5120)
type ShapeError struct {
	// Family, CPU and MemoryGB are the requested shape.
	Family   MachineFamily
	CPU      int64
	MemoryGB float64
	// Reason is the rule the shape breaks, e.g. "n2 custom shapes need an even vCPU count".
	Reason string
	// Attributes are the schema attributes at fault, "cpu" and/or "memory_gb": those whose value
	// no shape of the family accepts, or both when each is valid alone but not together.
	Attributes []string
	// Nearest are up to three valid shapes of the family, smallest change first: same cpu with
	// the nearest memory, then same memory with the nearest cpu, then (when those give fewer
	// than two) the nearest cpu counts with their nearest memory.
	Nearest []ValidShape
}

// Error renders "no FAMILY machine has N vCPUs and M GB: REASON; nearest valid shapes: ...".
func (e *ShapeError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "no %s machine has %s and %s GB: %s", e.Family, vcpus(e.CPU), formatGB(e.MemoryGB), e.Reason)
	for i, s := range e.Nearest {
		if i == 0 {
			b.WriteString("; nearest valid shapes: ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(s.String())
	}
	return b.String()
}

// ValidShape is a shape a machine family offers, as the attribute values a user would type, and
// the machine type it maps to.
type ValidShape struct {
	CPU         int
	MemoryGB    float64
	MachineType string
}

// String renders the shape as in a ShapeError: "cpu = 2, memory_gb = 4 (n2-standard-2)".
func (s ValidShape) String() string {
	return fmt.Sprintf("%s = %d, %s = %s (%s)", attrCPU, s.CPU, attrMemoryGB, formatGB(s.MemoryGB), s.MachineType)
}

// machineType returns the machine type of family f with cpu vCPUs and memMB MB, or the reason
// there is none.
func (f MachineFamily) machineType(cpu int64, memMB float64) (string, string) {
	if !multipleOf256(memMB) {
		return "", attrMemoryGB + " must be a multiple of 0.25 (256 MB)"
	}
	memMB = math.Round(memMB)
	for _, p := range predefinedByFamily[f] {
		if int64(p.cpu) == cpu && float64(p.memMB) == memMB {
			return p.name, ""
		}
	}
	name, reason := f.customType(cpu, memMB)
	if reason == "" {
		return name, ""
	}
	if f.customCPUReason(cpu) != "" {
		// The vCPU count rules custom types out: say what the predefined types offer instead.
		if mems := f.predefinedMemsAt(cpu); len(mems) > 0 {
			gbs := make([]string, len(mems))
			for i, m := range mems {
				gbs[i] = formatGB(float64(m) / 1024)
			}
			reason += fmt.Sprintf(", and the predefined %s types with %s have %s GB", f, vcpus(cpu), orList(gbs))
		} else if !f.hasCustom() {
			var cpus []string
			for _, c := range validCPUs[f] {
				cpus = append(cpus, strconv.Itoa(c))
			}
			reason += fmt.Sprintf("; its predefined types have %s vCPUs", orList(cpus))
		}
	}
	return "", reason
}

func (f MachineFamily) hasCustom() bool {
	_, ok := customSpecs[f]
	return ok
}

// customType returns the custom machine type name of family f with cpu vCPUs and memMB MB, or the
// reason the family's custom limits forbid it.
func (f MachineFamily) customType(cpu int64, memMB float64) (string, string) {
	spec, ok := customSpecs[f]
	if !ok {
		return "", fmt.Sprintf("%s has no custom machine types", f)
	}
	if !multipleOf256(memMB) {
		return "", attrMemoryGB + " must be a multiple of 0.25 (256 MB)"
	}
	memMB = math.Round(memMB)
	if r := f.customCPUReason(cpu); r != "" {
		return "", r
	}
	c := float64(cpu)
	switch {
	case memMB < float64(spec.minMBPerCPU)*c:
		return "", fmt.Sprintf("%s custom shapes need at least %s GB per vCPU (%s >= %s for %s = %d)",
			f, formatGB(float64(spec.minMBPerCPU)/1024), attrMemoryGB, formatGB(float64(spec.minMBPerCPU)*c/1024), attrCPU, cpu)
	case memMB > float64(spec.maxMBPerCPU)*c:
		return "", fmt.Sprintf("%s custom shapes allow at most %s GB per vCPU (%s <= %s for %s = %d)",
			f, formatGB(float64(spec.maxMBPerCPU)/1024), attrMemoryGB, formatGB(float64(spec.maxMBPerCPU)*c/1024), attrCPU, cpu)
	case memMB > float64(spec.maxMB):
		return "", fmt.Sprintf("%s custom shapes have at most %s GB (%s <= %[2]s)", f, formatGB(float64(spec.maxMB)/1024), attrMemoryGB)
	}
	return fmt.Sprintf("%s-custom-%d-%d", f, cpu, int64(memMB)), ""
}

// customCPUReason returns why family f has no custom type with cpu vCPUs, or "" if it may have.
func (f MachineFamily) customCPUReason(cpu int64) string {
	spec, ok := customSpecs[f]
	if !ok {
		return fmt.Sprintf("%s has no custom machine types", f)
	}
	switch {
	case cpu < int64(spec.minCPU):
		return fmt.Sprintf("%s custom shapes need at least %s", f, vcpus(int64(spec.minCPU)))
	case cpu > int64(spec.maxCPU):
		return fmt.Sprintf("%s custom shapes have at most %s", f, vcpus(int64(spec.maxCPU)))
	}
	return spec.cpuStep(cpu)
}

// predefinedMemsAt returns the memory in MB of family f's predefined types with cpu vCPUs,
// ascending.
func (f MachineFamily) predefinedMemsAt(cpu int64) []int {
	var mems []int
	for _, p := range predefinedByFamily[f] {
		if int64(p.cpu) == cpu {
			mems = append(mems, p.memMB)
		}
	}
	slices.Sort(mems)
	return mems
}

// fits reports whether family f has a machine with cpu vCPUs and memMB MB.
func (f MachineFamily) fits(cpu int64, memMB float64) bool {
	_, reason := f.machineType(cpu, memMB)
	return reason == ""
}

// faultyAttributes returns the attributes to blame for a shape family f does not offer: cpu when
// no machine of the family has that many vCPUs, memory_gb when none has that much memory, both
// when each is fine alone.
func (f MachineFamily) faultyAttributes(cpu int64, memMB float64) []string {
	var attrs []string
	cpus := validCPUs[f]
	if !slices.Contains(cpus, int(min(cpu, math.MaxInt32))) {
		attrs = append(attrs, attrCPU)
	}
	if !slices.ContainsFunc(cpus, func(c int) bool { return f.fits(int64(c), memMB) }) {
		attrs = append(attrs, attrMemoryGB)
	}
	if len(attrs) == 0 {
		attrs = []string{attrCPU, attrMemoryGB}
	}
	return attrs
}

// nearest returns up to maxSuggestions valid shapes of family f near cpu vCPUs and memMB MB, the
// smallest change first (see ShapeError.Nearest).
func (f MachineFamily) nearest(cpu int64, memMB float64) []ValidShape {
	var out []ValidShape
	add := func(c int, m int) {
		if len(out) >= maxSuggestions {
			return
		}
		for _, s := range out {
			if s.CPU == c && s.MemoryGB*1024 == float64(m) {
				return
			}
		}
		name, reason := f.machineType(int64(c), float64(m))
		if reason != "" {
			return // cannot happen: candidates come from the family's valid shapes
		}
		out = append(out, ValidShape{CPU: c, MemoryGB: float64(m) / 1024, MachineType: name})
	}
	cpus := validCPUs[f]

	// Same cpu, nearest memory.
	if slices.Contains(cpus, int(min(cpu, math.MaxInt32))) {
		for _, m := range f.nearestMems(int(cpu), memMB) {
			add(int(cpu), m)
		}
	}

	// Same memory, nearest cpu below and above.
	below, above := -1, -1
	for _, c := range cpus {
		if int64(c) < cpu && f.fits(int64(c), memMB) {
			below = c
		}
		if int64(c) > cpu && above < 0 && f.fits(int64(c), memMB) {
			above = c
		}
	}
	sameMem := []int{}
	if below > 0 {
		sameMem = append(sameMem, below)
	}
	if above > 0 {
		sameMem = append(sameMem, above)
	}
	slices.SortStableFunc(sameMem, func(a, b int) int {
		return cmpFloat(math.Abs(float64(a)-float64(cpu)), math.Abs(float64(b)-float64(cpu)))
	})
	for _, c := range sameMem {
		add(c, int(math.Round(memMB)))
	}

	// Both changed: the nearest cpu counts below and above, each with its nearest memory.
	if len(out) < 2 {
		type candidate struct {
			cpu, memMB int
			dist       float64
		}
		var cands []candidate
		for _, c := range neighbours(cpus, cpu) {
			if mems := f.nearestMems(c, memMB); len(mems) > 0 {
				m := mems[0]
				dist := math.Abs(float64(c)-float64(cpu))/float64(cpu) + math.Abs(float64(m)-memMB)/memMB
				cands = append(cands, candidate{c, m, dist})
			}
		}
		slices.SortStableFunc(cands, func(a, b candidate) int { return cmpFloat(a.dist, b.dist) })
		for _, c := range cands {
			add(c.cpu, c.memMB)
		}
	}
	return out
}

// neighbours returns the largest of cpus below cpu and the smallest above it, those that exist.
func neighbours(cpus []int, cpu int64) []int {
	var out []int
	below, above := -1, -1
	for _, c := range cpus {
		if int64(c) < cpu {
			below = c
		}
		if int64(c) > cpu && above < 0 {
			above = c
		}
	}
	if below > 0 {
		out = append(out, below)
	}
	if above > 0 {
		out = append(out, above)
	}
	return out
}

// nearestMems returns the valid memory sizes in MB of family f at cpu vCPUs nearest memMB: the
// nearest below and the nearest above, closer first (the lower on a tie), or just memMB when it
// is valid.
func (f MachineFamily) nearestMems(cpu int, memMB float64) []int {
	cands := f.predefinedMemsAt(int64(cpu))
	if spec, ok := customSpecs[f]; ok && f.customCPUReason(int64(cpu)) == "" {
		lo := ceil256(float64(spec.minMBPerCPU * cpu))
		hi := floor256(float64(min(spec.maxMBPerCPU*cpu, spec.maxMB)))
		if lo <= hi {
			t := math.Min(math.Max(memMB, float64(lo)), float64(hi))
			cands = append(cands, floor256(t), ceil256(t))
		}
	}
	below, above := -1, -1
	for _, m := range cands {
		if float64(m) <= memMB && m > below {
			below = m
		}
		if float64(m) >= memMB && (above < 0 || m < above) {
			above = m
		}
	}
	switch {
	case below < 0 && above < 0:
		return nil
	case below < 0:
		return []int{above}
	case above < 0, below == above:
		return []int{below}
	case memMB-float64(below) <= float64(above)-memMB:
		return []int{below, above}
	default:
		return []int{above, below}
	}
}

// multipleOf256 reports whether memMB is a positive whole number of MB divisible by 256, i.e.
// memory_gb is a multiple of 0.25, allowing for float rounding.
func multipleOf256(memMB float64) bool {
	r := math.Round(memMB)
	return r >= 256 && math.Abs(memMB-r) <= 1e-6 && math.Mod(r, 256) == 0
}

func floor256(mb float64) int { return int(math.Floor(mb/256)) * 256 }
func ceil256(mb float64) int  { return int(math.Ceil(mb/256)) * 256 }

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// formatGB renders GB the way a user writes memory_gb: 4, 5.25 (1e+300 for absurd values).
func formatGB(gb float64) string {
	if s := strconv.FormatFloat(gb, 'f', -1, 64); len(s) <= 20 {
		return s
	}
	return strconv.FormatFloat(gb, 'g', -1, 64)
}

func vcpus(n int64) string {
	if n == 1 {
		return "1 vCPU"
	}
	return fmt.Sprintf("%d vCPUs", n)
}

// orList joins items as "a", "a or b", "a, b or c".
func orList(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
