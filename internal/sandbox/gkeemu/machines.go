package gkeemu

import (
	"math"
	"strconv"
	"strings"
)

// predefined lists, per family and class, the vCPU counts Compute Engine offers and the memory per
// vCPU in MB (Compute Engine's "MB" are MiB).
var predefined = map[string]map[string]struct {
	cpus     []int
	mbPerCPU int
}{
	"e2": {
		"standard": {[]int{2, 4, 8, 16, 32}, 4096},
		"highmem":  {[]int{2, 4, 8, 16}, 8192},
		"highcpu":  {[]int{2, 4, 8, 16, 32}, 1024},
	},
	"n2": {
		"standard": {[]int{2, 4, 8, 16, 32, 48, 64, 80, 96, 128}, 4096},
		"highmem":  {[]int{2, 4, 8, 16, 32, 48, 64, 80, 96, 128}, 8192},
		"highcpu":  {[]int{2, 4, 8, 16, 32, 48, 64, 80, 96}, 1024},
	},
	"n2d": {
		"standard": {[]int{2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224}, 4096},
		"highmem":  {[]int{2, 4, 8, 16, 32, 48, 64, 80, 96}, 8192},
		"highcpu":  {[]int{2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224}, 1024},
	},
	"c3": {
		"standard": {[]int{4, 8, 22, 44, 88, 176}, 4096},
		"highmem":  {[]int{4, 8, 22, 44, 88, 176}, 8192},
		"highcpu":  {[]int{4, 8, 22, 44, 88, 176}, 2048},
	},
}

// sharedCore lists the E2 shared-core machine types: Kubernetes sees 2 vCPUs, but GKE reserves
// more of them for the system.
var sharedCore = map[string]struct{ cpu, memMB int }{
	"e2-micro":  {2, 1024},
	"e2-small":  {2, 2048},
	"e2-medium": {2, 4096},
}

// customLimits bounds custom machine types per family: vCPU range, whether the count must be even,
// and memory per vCPU in MB without the "-ext" (extended memory) suffix.
var customLimits = map[string]struct {
	minCPU, maxCPU           int
	evenCPU                  bool
	minMBPerCPU, maxMBPerCPU float64
}{
	"n1":  {1, 96, true, 921.6, 6656},
	"e2":  {2, 32, true, 512, 8192},
	"n2":  {2, 128, true, 512, 8192},
	"n2d": {2, 224, true, 512, 8192},
}

// MachineShape returns the vCPUs and memory (in MB, which Compute Engine means as MiB) of a
// machine type: the e2, n2, n2d and c3 predefined standard, highmem and highcpu types, the E2
// shared-core types, and custom types "<family>-custom-<CPUS>-<MEMMB>" (family e2, n2 or n2d, with
// an optional "-ext" suffix for extended memory) or "custom-<CPUS>-<MEMMB>" (N1). ok is false for
// anything else, including custom shapes Compute Engine would reject.
func MachineShape(machineType string) (cpu int, memMB int, ok bool) {
	if s, found := sharedCore[machineType]; found {
		return s.cpu, s.memMB, true
	}
	if family, spec, found := strings.Cut(machineType, "-custom-"); found {
		return customShape(family, spec)
	}
	if spec, found := strings.CutPrefix(machineType, "custom-"); found {
		return customShape("n1", spec)
	}
	parts := strings.Split(machineType, "-")
	if len(parts) != 3 {
		return 0, 0, false
	}
	class, found := predefined[parts[0]][parts[1]]
	if !found {
		return 0, 0, false
	}
	n, err := strconv.Atoi(parts[2])
	if err != nil {
		return 0, 0, false
	}
	for _, c := range class.cpus {
		if c == n {
			return n, n * class.mbPerCPU, true
		}
	}
	return 0, 0, false
}

// customShape parses "CPUS-MEMMB[-ext]" for a custom machine type of family.
func customShape(family, spec string) (int, int, bool) {
	limits, found := customLimits[family]
	if !found {
		return 0, 0, false
	}
	spec, ext := strings.CutSuffix(spec, "-ext")
	cpuStr, memStr, found := strings.Cut(spec, "-")
	if !found {
		return 0, 0, false
	}
	cpu, err1 := strconv.Atoi(cpuStr)
	mem, err2 := strconv.Atoi(memStr)
	if err1 != nil || err2 != nil || cpu < limits.minCPU || cpu > limits.maxCPU || mem <= 0 || mem%256 != 0 {
		return 0, 0, false
	}
	if limits.evenCPU && cpu > 1 && cpu%2 != 0 {
		return 0, 0, false
	}
	perCPU := float64(mem) / float64(cpu)
	if perCPU < limits.minMBPerCPU || (!ext && perCPU > limits.maxMBPerCPU) {
		return 0, 0, false
	}
	return cpu, mem, true
}

// machineFamily returns the family GKE puts in the cloud.google.com/machine-family label.
func machineFamily(machineType string) string {
	if strings.HasPrefix(machineType, "custom-") {
		return "n1"
	}
	family, _, _ := strings.Cut(machineType, "-")
	return family
}

// reservedCPUMilli is the CPU GKE reserves for the system on a node, in millicores: 6% of the
// first core, 1% of the second, 0.5% of the next two and 0.25% of the rest; 1060m on shared-core
// machines.
func reservedCPUMilli(machineType string, cpus int) int64 {
	if _, ok := sharedCore[machineType]; ok {
		return 1060
	}
	tiers := []struct {
		cores    int
		milliPer float64
	}{{1, 60}, {1, 10}, {2, 5}, {math.MaxInt32, 2.5}}
	var reserved float64
	left := cpus
	for _, t := range tiers {
		n := min(left, t.cores)
		reserved += float64(n) * t.milliPer
		left -= n
	}
	return int64(math.Ceil(reserved))
}

// evictionThresholdMiB is the kubelet's hard eviction threshold for memory on GKE.
const evictionThresholdMiB = 100

// reservedMemMiB is the memory GKE reserves for the system on a node, in MiB, excluding the
// eviction threshold: 255 MiB below 1 GiB, else 25% of the first 4 GiB, 20% of the next 4, 10% of
// the next 8, 6% of the next 112 and 2% of the rest.
func reservedMemMiB(memMiB int) int64 {
	if memMiB < 1024 {
		return 255
	}
	tiers := []struct {
		mib  int
		rate float64
	}{{4096, 0.25}, {4096, 0.20}, {8192, 0.10}, {112 * 1024, 0.06}, {math.MaxInt32, 0.02}}
	var reserved float64
	left := memMiB
	for _, t := range tiers {
		n := min(left, t.mib)
		reserved += float64(n) * t.rate
		left -= n
	}
	return int64(math.Ceil(reserved))
}

// allocatableEphemeralMiB approximates GKE's allocatable ephemeral storage on a boot disk of
// diskGiB: less a 10% eviction threshold and a system reservation of min(50%, 6 GiB + 35%,
// 100 GiB).
func allocatableEphemeralMiB(diskGiB int) int64 {
	capMiB := float64(diskGiB) * 1024
	reserve := min(0.5*capMiB, 6*1024+0.35*capMiB, 100*1024)
	return int64(math.Floor(capMiB - 0.1*capMiB - reserve))
}
