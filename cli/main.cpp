// amsim: the command line (cli/app.cpp); main() only tunes the allocator.

#include <cstdlib> // defines __GLIBC__ on glibc
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "app.hpp"

int main(int argc, char** argv) {
#ifdef __GLIBC__
    // A national topology allocates and frees many arrays of a few to 30 MB. By default glibc
    // maps each from the kernel afresh (a page fault per 4 KiB, about 0.3 CPU-s in all) and
    // unmaps it on free; kept in the heap, freed arrays are reused instead.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
    return amsim::cli::run_command_line(argc, argv);
}
