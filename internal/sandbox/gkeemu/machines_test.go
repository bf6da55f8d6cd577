package gkeemu

import (
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/machinetypes"
)

// The emulator knows the machine types internal/machinetypes knows, no more and no less.
func TestMachineShape(t *testing.T) {
	for _, tc := range []struct {
		machineType string
		cpu, memMB  int
		ok          bool
	}{
		{"e2-standard-4", 4, 16384, true},
		{"e2-medium", 2, 4096, true}, // newNodePool's default
		{"e2-micro", 2, 1024, true},
		{"n2-standard-8", 8, 32768, true},
		{"n2-highmem-128", 128, 884736, true}, // 864 GB, not 8 x 128
		{"c3-highcpu-4", 4, 8192, true},
		{"n2-custom-8-65536", 8, 65536, true},

		{"", 0, 0, false},
		{"z9-mega-1", 0, 0, false},
		{"n1-standard-4", 0, 0, false},
		{"n2-custom-8-65536-ext", 0, 0, false}, // extended memory: not in machinetypes
		{"custom-4-8192", 0, 0, false},         // N1 custom: not in machinetypes
		{"n2-custom-96-98304", 0, 0, false},    // n2 custom stops at 80
	} {
		cpu, mem, ok := machineShape(tc.machineType)
		if cpu != tc.cpu || mem != tc.memMB || ok != tc.ok {
			t.Errorf("machineShape(%q) = %d, %d, %v; want %d, %d, %v", tc.machineType, cpu, mem, ok, tc.cpu, tc.memMB, tc.ok)
		}
		mc, mm, mok := machinetypes.Shape(tc.machineType)
		if cpu != mc || mem != mm || ok != mok {
			t.Errorf("machineShape(%q) disagrees with machinetypes.Shape", tc.machineType)
		}
	}
}

func TestMachineFamily(t *testing.T) {
	for machineType, want := range map[string]string{
		"e2-standard-4":     "e2",
		"n2d-highmem-8":     "n2d",
		"c3-highcpu-22":     "c3",
		"n2-custom-8-16384": "n2",
		"custom-4-8192":     "n1",
	} {
		if got := machineFamily(machineType); got != want {
			t.Errorf("machineFamily(%q) = %q, want %q", machineType, got, want)
		}
	}
}

// The reservations match GKE's published allocatable figures.
func TestReservations(t *testing.T) {
	for _, tc := range []struct {
		machineType string
		wantCPU     int64 // allocatable millicores
		wantMemMiB  int64 // reserved, without the eviction threshold
	}{
		{"e2-medium", 940, 1024},        // shared core: 1060m reserved; 25% of 4 GiB
		{"e2-standard-4", 3920, 2663},   // 60+10+5+5; 1024+819.2+819.2
		{"n2-standard-8", 7910, 3646},   // +4*2.5; +6% of 16 GiB
		{"n2-standard-32", 31850, 9544}, // +28*2.5; +6% of the next 112 GiB
	} {
		cpu, mem, ok := machineShape(tc.machineType)
		if !ok {
			t.Fatalf("machineShape(%q) not ok", tc.machineType)
		}
		if got := int64(cpu)*1000 - reservedCPUMilli(tc.machineType, cpu); got != tc.wantCPU {
			t.Errorf("%s allocatable CPU = %dm, want %dm", tc.machineType, got, tc.wantCPU)
		}
		if got := reservedMemMiB(mem); got != tc.wantMemMiB {
			t.Errorf("%s reserved memory = %dMiB, want %dMiB", tc.machineType, got, tc.wantMemMiB)
		}
	}
	if got := reservedMemMiB(512); got != 255 {
		t.Errorf("reservedMemMiB(512) = %d, want 255", got)
	}
	if got := allocatableEphemeralMiB(100); got != 49*1024 {
		t.Errorf("allocatableEphemeralMiB(100) = %d, want %d", got, 49*1024)
	}
}
