#!/usr/bin/perl
# Writes two small MaxMind-format databases with known networks for tests
# (Debian's libmaxmind-db-writer-perl):
#   nested.mmdb  MaxMind's GeoIP2-City layout (coordinates as doubles in
#                location.latitude/longitude, as MaxMind stores them)
#   flat.mmdb    DB-IP's flat layout (city, state1, country_code, and
#                latitude/longitude as floats, as the real DB-IP file)
# Usage: make_test_mmdb.pl OUTDIR
use strict;
use warnings;
use utf8;
use MaxMind::DB::Writer::Tree;

my $out = shift or die "usage: $0 OUTDIR\n";

sub write_db {
    my ($file, $types, $networks) = @_;
    my $tree = MaxMind::DB::Writer::Tree->new(
        ip_version              => 6,
        record_size             => 24,
        database_type           => 'twostep-test',
        languages               => ['en'],
        description             => { en => 'twostep test data' },
        map_key_type_callback   => sub { $types->{ $_[0] } },
        remove_reserved_networks => 0,
    );
    for my $n (@$networks) { $tree->insert_network($n->[0], $n->[1]); }
    open my $fh, '>:raw', $file or die "$file: $!";
    $tree->write_tree($fh);
    close $fh;
}

write_db("$out/nested.mmdb",
    { city => 'map', names => 'map', en => 'utf8_string', subdivisions => ['array', 'map'],
      country => 'map', iso_code => 'utf8_string',
      location => 'map', latitude => 'double', longitude => 'double' },
    [
      ['203.0.113.0/24', { city => { names => { en => 'London' } },
                           subdivisions => [ { names => { en => 'England' } } ],
                           country => { iso_code => 'GB', names => { en => 'United Kingdom' } },
                           location => { latitude => 51.5074, longitude => -0.1278 } }],
      ['2001:db8:1::/48', { city => { names => { en => 'Berlin' } },
                            subdivisions => [ { names => { en => 'Land Berlin' } } ],
                            country => { iso_code => 'DE', names => { en => 'Germany' } },
                            location => { latitude => 52.5244, longitude => 13.4105 } }],
      # A second place in the United Kingdom (two places, one country: two dots on the map).
      ['2001:db8:3::/48', { city => { names => { en => 'Manchester' } },
                            subdivisions => [ { names => { en => 'England' } } ],
                            country => { iso_code => 'GB', names => { en => 'United Kingdom' } },
                            location => { latitude => 53.4808, longitude => -2.2426 } }],
      # A place the database gives no coordinates.
      ['2001:db8:4::/48', { country => { iso_code => 'GB', names => { en => 'United Kingdom' } } }],
    ]);

write_db("$out/flat.mmdb",
    { city => 'utf8_string', state1 => 'utf8_string', country_code => 'utf8_string',
      latitude => 'float', longitude => 'float' },
    [
      ['198.51.100.0/24', { city => 'Paris', state1 => 'Île-de-France', country_code => 'FR',
                            latitude => 48.8566, longitude => 2.3522 }],
      ['203.0.113.0/24', { city => 'Shadowed', state1 => 'Nowhere', country_code => 'US' }],
      ['2001:db8:2::/48', { city => 'Tokyo', state1 => 'Tokyo', country_code => 'JP' }],
    ]);
