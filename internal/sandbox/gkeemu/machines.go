package gkeemu

import (
	"math"
	"strings"

	"github.com/octollm/terraform-provider-octollm/internal/machinetypes"
)

// machineShape returns the vCPUs and memory (in MB, which Compute Engine means as MiB) of a
// machine type, as internal/machinetypes knows them: the one source of truth the provider's node
// pool resource shares, so the emulator accepts exactly the machine types the provider can ask
// for. ok is false for anything else (which GKE would refuse as an unknown machine type).
func machineShape(machineType string) (cpu int, memMB int, ok bool) {
	return machinetypes.Shape(machineType)
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
	if machinetypes.SharedCore(machineType) {
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
