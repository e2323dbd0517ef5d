{
  description = "jl2tp: pure-Java L2TPv2/PPP client (xl2tpd + pppd drop-in) with PPPoE failover";

  # nixos-25.05's Maven (3.9.9) is the one mvnHash was computed for (dist/nixos/update-mvn-hash.sh).
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";

  outputs = { self, nixpkgs }:
    let
      lib = nixpkgs.lib;
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
      # The package's source is this flake itself: where a user keeps their configuration does not matter.
      jl2tpFor = pkgs: pkgs.callPackage ./dist/nixos/jl2tp-package.nix { src = self; };
    in
    {
      packages = forAllSystems (pkgs: rec {
        jl2tp = jl2tpFor pkgs;
        default = jl2tp;
      });

      overlays.default = final: prev: { jl2tp = jl2tpFor final; };

      # services.jl2tp, with this flake's package as the default.
      nixosModules.default = { pkgs, lib, ... }: {
        imports = [ ./dist/nixos/jl2tp.nix ];
        services.jl2tp.package = lib.mkDefault (jl2tpFor pkgs);
      };
      nixosModules.jl2tp = self.nixosModules.default;
    };
}
