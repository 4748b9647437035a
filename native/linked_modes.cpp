// The table of linked modes: empty in parlab, "mpi" in parlab-mpi.
#include "linked_modes.hpp"

#include <algorithm>  // std::find_if

namespace parlab {

namespace {

std::vector<linked_mode>& get_table() {
    static std::vector<linked_mode> table;
    return table;
}

}  // namespace

void link_mode(linked_mode mode) { get_table().push_back(std::move(mode)); }

const std::vector<linked_mode>& get_linked_modes() { return get_table(); }

const linked_mode* find_linked_mode(std::string_view name) {
    const auto& table = get_table();
    const auto found = std::find_if(table.begin(), table.end(), [&](const linked_mode& m) { return m.name == name; });
    return found == table.end() ? nullptr : &*found;
}

}  // namespace parlab
