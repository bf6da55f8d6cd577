package gkeemu

import "testing"

func TestMachineShape(t *testing.T) {
	for _, tc := range []struct {
		machineType string
		cpu, memMB  int
		ok          bool
	}{
		{"e2-standard-4", 4, 16384, true},
		{"e2-standard-32", 32, 131072, true},
		{"e2-highmem-16", 16, 131072, true},
		{"e2-highcpu-8", 8, 8192, true},
		{"e2-medium", 2, 4096, true},
		{"e2-micro", 2, 1024, true},
		{"n2-standard-8", 8, 32768, true},
		{"n2-standard-128", 128, 524288, true},
		{"n2-highmem-4", 4, 32768, true},
		{"n2-highcpu-96", 96, 98304, true},
		{"n2d-standard-224", 224, 917504, true},
		{"n2d-highcpu-2", 2, 2048, true},
		{"c3-standard-22", 22, 90112, true},
		{"c3-highcpu-4", 4, 8192, true},
		{"c3-highmem-176", 176, 1441792, true},
		{"n2-custom-8-16384", 8, 16384, true},
		{"e2-custom-4-8192", 4, 8192, true},
		{"n2d-custom-16-32768", 16, 32768, true},
		{"n2-custom-8-131072-ext", 8, 131072, true},
		{"custom-1-1024", 1, 1024, true},
		{"custom-4-15360", 4, 15360, true},

		{"", 0, 0, false},
		{"e2-standard-3", 0, 0, false},       // no such size
		{"e2-standard-64", 0, 0, false},      // E2 stops at 32
		{"c3-standard-2", 0, 0, false},       // C3 starts at 4
		{"n2-ultramem-8", 0, 0, false},       // no such class
		{"n1-standard-4", 0, 0, false},       // family not in the table
		{"e2-standard-four", 0, 0, false},    // not a number
		{"n2-custom-8-131072", 0, 0, false},  // 16 GB per vCPU needs -ext
		{"n2-custom-8-1000", 0, 0, false},    // not a multiple of 256 MB
		{"n2-custom-7-14336", 0, 0, false},   // odd vCPUs
		{"n2-custom-8-2048", 0, 0, false},    // below 0.5 GB per vCPU
		{"c3-custom-8-16384", 0, 0, false},   // C3 has no custom types
		{"e2-custom-4", 0, 0, false},         // no memory
		{"e2-custom-64-131072", 0, 0, false}, // E2 stops at 32 vCPUs
	} {
		cpu, mem, ok := MachineShape(tc.machineType)
		if cpu != tc.cpu || mem != tc.memMB || ok != tc.ok {
			t.Errorf("MachineShape(%q) = %d, %d, %v; want %d, %d, %v", tc.machineType, cpu, mem, ok, tc.cpu, tc.memMB, tc.ok)
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
		cpu, mem, ok := MachineShape(tc.machineType)
		if !ok {
			t.Fatalf("MachineShape(%q) not ok", tc.machineType)
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
